using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using AutomotiveCrm.Domain.Common;
using Fluid;

namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>The values merge fields read for one recipient (any may be missing: templates use <c>| default: "..."</c>).</summary>
public sealed record MergeCustomer(string? Title, string? FirstName, string? LastName, string? CompanyName, string? Email);

public sealed record MergeVehicle(string? Make, string? Model, string? Derivative, string? Registration, string? Colour, DateOnly? FirstRegistered);

public sealed record MergeDealer(string? Name, string? Phone, string? Email, string? AddressLine1, string? City, string? Postcode);

/// <summary>The customer's most recent current relationship (type, start, the relationship's dealer, payment method).</summary>
public sealed record MergeRelationship(string? Type, DateOnly? Since, string? DealerName, string? PaymentMethod);

public sealed record MergeData(MergeCustomer Customer, MergeVehicle? Vehicle, MergeDealer? Dealer, MergeRelationship? Relationship = null);

/// <summary>One recipient's rendered e-mail: the parts as they go into the MIME message.</summary>
/// <remarks><see cref="SenderEmail"/>: the dealer's own address when the content sends per dealer, else the content's (null: the default sender).</remarks>
public sealed record RenderedEmail(string SenderName, string Subject, string Html, string Text, string? SenderEmail = null);

/// <summary>
/// A campaign e-mail's content compiled once (Liquid through Fluid) and rendered per recipient. Values are
/// HTML-encoded in the HTML part (with every Unicode range allowed, so "Müller" stays readable and only markup
/// characters are escaped), and written as they are into subject, sender name and text part, where nothing is
/// markup. Merge fields: <c>customer.{title, first_name, last_name, full_name, company_name, email}</c>,
/// <c>vehicle.{make, model, derivative, registration, colour, first_registered}</c> (the customer's most recent
/// current vehicle), <c>dealer.{name, phone, email, address, city, postcode}</c> (the dealer the message speaks for),
/// <c>relationship.{type, since, dealer, payment_method}</c> and <c>unsubscribe_url</c> (the catalogue is
/// <see cref="Content.MergeFields"/>). When the HTML has no <c>unsubscribe_url</c>, a footer with the link is appended;
/// when the text part is empty, it is generated from the rendered HTML.
/// </summary>
public sealed class CampaignEmailTemplate
{
    public const string UnsubscribeField = "unsubscribe_url";

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { CultureInfo = CultureInfo.InvariantCulture };
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly IFluidTemplate subject;
    private readonly IFluidTemplate senderName;
    private readonly IFluidTemplate html;
    private readonly IFluidTemplate? text;
    private readonly bool htmlHasUnsubscribe;
    private readonly bool textHasUnsubscribe;
    private string? senderEmail;
    private bool senderPerDealer;

    private CampaignEmailTemplate(IFluidTemplate subject, IFluidTemplate senderName, IFluidTemplate html, IFluidTemplate? text, bool htmlHasUnsubscribe,
        bool textHasUnsubscribe)
    {
        this.subject = subject;
        this.senderName = senderName;
        this.html = html;
        this.text = text;
        this.htmlHasUnsubscribe = htmlHasUnsubscribe;
        this.textHasUnsubscribe = textHasUnsubscribe;
    }

    /// <summary>Compiles the content; a Liquid syntax error throws a <see cref="DomainException"/> naming the part.</summary>
    public static CampaignEmailTemplate Compile(CampaignContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bodyHtml = content.BodyHtml ?? "";
        return new CampaignEmailTemplate(
            Parse("subject", content.Subject ?? ""),
            Parse("sender name", content.SenderName ?? ""),
            Parse("HTML body", bodyHtml),
            string.IsNullOrWhiteSpace(content.BodyText) ? null : Parse("text body", content.BodyText),
            bodyHtml.Contains(UnsubscribeField, StringComparison.Ordinal),
            content.BodyText?.Contains(UnsubscribeField, StringComparison.Ordinal) ?? false)
        {
            senderEmail = string.IsNullOrWhiteSpace(content.SenderEmail) ? null : content.SenderEmail.Trim(),
            senderPerDealer = content.SenderPerDealer,
        };
    }

    public RenderedEmail Render(MergeData data, string unsubscribeUrl)
    {
        ArgumentNullException.ThrowIfNull(data);
        var context = Context(data, unsubscribeUrl);
        var renderedHtml = html.Render(context, Html);
        if (!htmlHasUnsubscribe)
        {
            renderedHtml = WithFooter(renderedHtml, unsubscribeUrl);
        }

        var renderedText = text is null ? HtmlToText.Convert(renderedHtml) : text.Render(context, NullEncoder.Default);
        if (text is not null && !textHasUnsubscribe)
        {
            renderedText = renderedText.TrimEnd() + "\n\nUnsubscribe: " + unsubscribeUrl + "\n";
        }

        return new RenderedEmail(
            OneLine(senderName.Render(context, NullEncoder.Default)),
            OneLine(subject.Render(context, NullEncoder.Default)),
            renderedHtml,
            renderedText,
            senderPerDealer && MimeKit.MailboxAddress.TryParse(data.Dealer?.Email?.Trim() ?? "", out var dealerAddress) && dealerAddress.Address.Contains('@', StringComparison.Ordinal)
                ? dealerAddress.Address
                : senderEmail);
    }

    private static IFluidTemplate Parse(string part, string source) =>
        Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new DomainException($"The {part} has a merge-field error: {error}");

    private static TemplateContext Context(MergeData data, string unsubscribeUrl) => Content.MergeFields.Context(data, unsubscribeUrl, Options);

    // Header values: a line break in a merged value must never start a new header.
    private static string OneLine(string value) => value.ReplaceLineEndings(" ").Trim();

    private static string WithFooter(string renderedHtml, string unsubscribeUrl)
    {
        var footer = "<p style=\"font-size:12px;color:#666666\">You receive this e-mail because you are a customer. "
            + $"<a href=\"{Html.Encode(unsubscribeUrl)}\">Unsubscribe</a></p>";
        var bodyEnd = renderedHtml.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return bodyEnd >= 0 ? renderedHtml.Insert(bodyEnd, footer) : renderedHtml + footer;
    }
}
