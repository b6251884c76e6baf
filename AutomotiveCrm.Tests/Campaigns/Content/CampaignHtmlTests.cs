using AutomotiveCrm.Domain.Campaigns.Content;
using AutomotiveCrm.Domain.Campaigns.Sending;

namespace AutomotiveCrm.Tests.Campaigns.Content;

public sealed class CampaignHtmlTests
{
    [Theory]
    [InlineData("<p>Hi</p><script>alert(1)</script>", "<script")]
    [InlineData("<p onclick=\"steal()\">Hi</p>", "onclick")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:")]
    [InlineData("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", "data:")]
    [InlineData("<svg><script>alert(1)</script></svg>", "<svg")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "<iframe")]
    [InlineData("<form action=\"https://evil.example\"><input name=p></form>", "<form")]
    [InlineData("<p style=\"position:fixed;top:0;left:0\">overlay</p>", "position")]
    [InlineData("<p style=\"z-index:9999\">x</p>", "z-index")]
    [InlineData("<style>body{display:none}</style><p>x</p>", "<style")]
    [InlineData("<img src=\"x\" onerror=\"alert(1)\">", "onerror")]
    public void Sanitise_DangerousMarkup_IsRemoved(string html, string forbidden)
    {
        var clean = CampaignHtml.Sanitise(html);

        Assert.DoesNotContain(forbidden, clean, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Sanitise_EmailLayout_KeepsTablesLinksImagesAndAllowedStyles()
    {
        var html = "<table width=\"600\" cellpadding=\"4\"><tr><td style=\"color:#333333;background-color:#eeeeee;text-align:center;position:absolute\">"
            + "<strong>Service</strong> <a href=\"https://dealer.example/book\">Book</a> <img src=\"https://crm.example/campaign-images/abc.png\" alt=\"Logo\"></td></tr></table>";

        var clean = CampaignHtml.Sanitise(html);

        Assert.Contains("<table width=\"600\" cellpadding=\"4\">", clean, StringComparison.Ordinal);
        Assert.Contains("color: rgba(51, 51, 51, 1)", clean.Replace("#333333", "rgba(51, 51, 51, 1)", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("text-align: center", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("position", clean, StringComparison.Ordinal);
        Assert.Contains("<strong>Service</strong>", clean, StringComparison.Ordinal);
        Assert.Contains("href=\"https://dealer.example/book\"", clean, StringComparison.Ordinal);
        Assert.Contains("src=\"https://crm.example/campaign-images/abc.png\"", clean, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitise_LiquidInTextAndAttributes_SurvivesVerbatim()
    {
        var html = "<p>Dear {{ customer.first_name | default: &quot;Customer&quot; }},</p>"
            + "<p><a href=\"{{ unsubscribe_url }}\">Unsubscribe</a> {% if vehicle.make %}your {{ vehicle.make }}{% endif %}</p>";

        var clean = CampaignHtml.Sanitise(html);

        Assert.Contains("Dear {{ customer.first_name | default: \"Customer\" }},", clean, StringComparison.Ordinal);
        Assert.Contains("href=\"{{ unsubscribe_url }}\"", clean, StringComparison.Ordinal);
        Assert.Contains("{% if vehicle.make %}your {{ vehicle.make }}{% endif %}", clean, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitise_ThenRender_FallbackAndValueWork()
    {
        var html = CampaignHtml.Sanitise("<p>Dear&nbsp;{{&nbsp;customer.first_name | default: &quot;Customer&quot; }}</p>");
        var template = CampaignEmailTemplate.Compile(new Domain.Campaigns.CampaignContent { Subject = "s", BodyHtml = html });

        var withName = template.Render(MergeFields.Sample, "https://u.example/x");
        var withoutName = template.Render(MergeFields.Sample with { Customer = MergeFields.Sample.Customer with { FirstName = "  " } }, "https://u.example/x");

        Assert.Contains("Dear Jordan", withName.Html.Replace("&nbsp;", " ", StringComparison.Ordinal).Replace("\u00a0", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Customer", withoutName.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitise_QuillAlignmentClasses_BecomeInlineStyles()
    {
        var clean = CampaignHtml.Sanitise("<p class=\"ql-align-center\">Centred</p><p class=\"ql-align-right\">Right</p>");

        Assert.Contains("text-align: center", clean, StringComparison.Ordinal);
        Assert.Contains("text-align: right", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("ql-align", clean, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a&nbsp;b", "a b")]
    [InlineData("a&nbsp;&nbsp;b", "a &nbsp;b")]
    [InlineData("a&nbsp;&nbsp;&nbsp;b", "a &nbsp; b")]
    [InlineData("a\u00a0b", "a b")]
    [InlineData("no spaces", "no spaces")]
    public void NormaliseSpaces_EditorNonBreakingSpaces_BecomeSpaces(string input, string expected)
    {
        Assert.Equal(expected, CampaignHtml.NormaliseSpaces(input));
    }

    [Fact]
    public void HtmlToText_SanitisedDesign_GivesReadablePlainText()
    {
        var html = CampaignHtml.Sanitise("<h1>Spring check</h1><p>Dear {{ customer.first_name | default: \"Customer\" }},</p><ul><li>Oil</li><li>Tyres</li></ul>"
            + "<p><a href=\"https://dealer.example/book\">Book now</a></p>");

        var text = HtmlToText.Convert(html);

        Assert.Equal("Spring check\n\nDear {{ customer.first_name | default: \"Customer\" }},\n\n- Oil\n- Tyres\n\nBook now (https://dealer.example/book)\n", text);
    }
}
