using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;

namespace AutomotiveCrm.Tests.Campaigns.Sending;

public sealed class CampaignEmailTemplateTests
{
    private const string Url = "https://crm.example.test/u/abc";

    private static readonly MergeData Ann = new(
        new MergeCustomer("Mrs", "Ann", "Müller", null, "ann@example.com"),
        new MergeVehicle("Alder", "Tourer", "2.0 SE", "AB12 CDE", "Red", new DateOnly(2022, 3, 1)),
        new MergeDealer("Northgate Alder Leeds", "0113 496 0000", "leeds@northgate.example", "1 Kirkgate", "Leeds", "LS1 6BY"));

    private static CampaignEmailTemplate Compile(string html, string? text = null, string subject = "Hi") =>
        CampaignEmailTemplate.Compile(new CampaignContent { Channel = CampaignChannelKind.Email, Subject = subject, SenderName = "{{ dealer.name }}", BodyHtml = html, BodyText = text });

    [Fact]
    public void Render_FillsCustomerVehicleAndDealerFields()
    {
        var template = Compile("<p>Dear {{ customer.title }} {{ customer.last_name }}, your {{ vehicle.make }} {{ vehicle.model }} ({{ vehicle.registration }}) is due at {{ dealer.name }}, {{ dealer.city }}.</p>",
            subject: "{{ customer.first_name }}, your {{ vehicle.model }}");

        var email = template.Render(Ann, Url);

        Assert.Contains("Dear Mrs Müller, your Alder Tourer (AB12 CDE) is due at Northgate Alder Leeds, Leeds.", email.Html, StringComparison.Ordinal);
        Assert.Equal("Ann, your Tourer", email.Subject);
        Assert.Equal("Northgate Alder Leeds", email.SenderName);
    }

    [Fact]
    public void Render_MissingOrBlankValues_UseTheDefault()
    {
        var template = Compile("<p>Hello {{ customer.first_name | default: \"Customer\" }}, {{ vehicle.model | default: \"your car\" }}</p>");
        var nobody = new MergeData(new MergeCustomer(null, "  ", null, null, null), null, null);

        var email = template.Render(nobody, Url);

        Assert.Contains("Hello Customer, your car", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileValues_AreEncodedInHtmlButNotInHeaders()
    {
        var template = Compile("<p>Hi {{ customer.first_name }}</p>", subject: "For {{ customer.first_name }}");
        var hostile = new MergeData(new MergeCustomer(null, "<script>alert(1)</script>\"&", "X\r\nBcc: victim@example.com", null, null), null, null);

        var email = template.Render(hostile, Url);

        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;", email.Html, StringComparison.Ordinal);
        Assert.Equal("For <script>alert(1)</script>\"&", email.Subject);
        Assert.DoesNotContain('\n', Compile("x", subject: "{{ customer.last_name }}").Render(hostile, Url).Subject);
    }

    [Fact]
    public void Render_WithoutTextBody_GeneratesThePlainTextFromTheHtml()
    {
        var template = Compile("<h1>Service time</h1><p>Hello <b>{{ customer.first_name }}</b>,<br>book at <a href=\"https://northgate.example/book\">our site</a>.</p><ul><li>Oil</li><li>Brakes</li></ul><p>Fish &amp; chips</p>");

        var email = template.Render(Ann, Url);

        Assert.Equal("Service time\n\nHello Ann,\nbook at our site (https://northgate.example/book).\n\n- Oil\n- Brakes\n\nFish & chips\n\nYou receive this e-mail because you are a customer. Unsubscribe (https://crm.example.test/u/abc)\n", email.Text);
    }

    [Fact]
    public void Render_AddsAnUnsubscribeLinkUnlessTheContentPlacesIt()
    {
        var placed = Compile("<p><a href=\"{{ unsubscribe_url }}\">Stop these mails</a></p>", text: "Stop: {{ unsubscribe_url }}").Render(Ann, Url);
        var added = Compile("<html><body><p>Hi</p></body></html>", text: "Hi").Render(Ann, Url);

        Assert.Equal(1, Count(placed.Html, Url));
        Assert.Equal("Stop: " + Url, placed.Text);
        Assert.Contains($"<a href=\"{Url}\">Unsubscribe</a></p></body>", added.Html, StringComparison.Ordinal);
        Assert.EndsWith("Unsubscribe: " + Url + "\n", added.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_BrokenLiquid_NamesThePart()
    {
        var error = Assert.Throws<DomainException>(() => Compile("<p>{{ customer.first_name </p>"));
        Assert.Contains("HTML body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsubscribeToken_VerifiesOnlyWithTheKeyAndUnaltered()
    {
        var links = SendingHarness.Links;
        var token = links.TokenFor(4711);

        Assert.Equal(4711, links.Verify(token));
        Assert.Equal($"https://crm.example.test/u/{token}", links.UrlFor(4711));
        Assert.Null(links.Verify(token[..^1] + (token[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(new UnsubscribeLinks("https://crm.example.test", [.. Enumerable.Repeat((byte)9, 32)]).Verify(token));
        Assert.Null(links.Verify("not-a-token"));
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
