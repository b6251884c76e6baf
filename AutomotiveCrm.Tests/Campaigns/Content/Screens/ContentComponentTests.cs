using AutomotiveCrm.Web.Campaigns.Content;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Campaigns.Content.Screens;

/// <summary>The e-mail editor's source view, the merge-field picker and the SMS segment counter, rendered with bUnit.</summary>
public sealed class ContentComponentTests : IAsyncLifetime, IDisposable
{
    private const string Module = "./Campaigns/Content/QuillEditor.razor.js";
    private readonly BunitContext context = new();

    public Task InitializeAsync()
    {
        context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    // The context is disposed in DisposeAsync: MudBlazor registers services that are only IAsyncDisposable.
    public void Dispose() => GC.SuppressFinalize(this);

    private (IRenderedComponent<QuillEditor> Editor, List<string> Values) RenderEditor(string html)
    {
        var values = new List<string>();
        var editor = context.Render<QuillEditor>(p => p
            .Add(e => e.Value, html)
            .Add(e => e.ValueChanged, EventCallback.Factory.Create<string>(this, v => values.Add(v))));
        return (editor, values);
    }

    [Fact]
    public void Editor_HandWrittenSource_IsKeptVerbatimWhenSwitchingBackToVisual()
    {
        var module = context.JSInterop.SetupModule(Module);
        module.Setup<bool>("create", _ => true).SetResult(true);
        var (editor, values) = RenderEditor("<p>Hello</p>");
        const string handWritten = "<table width=\"600\"><tr><td style=\"color:#123456\">{{ customer.first_name | default: \"Customer\" }}</td></tr></table>";

        editor.Find("[data-testid=view-source]").Click();
        editor.Find("textarea[data-testid=html-source]").Input(handWritten);
        editor.Find("[data-testid=view-visual]").Click();

        Assert.Equal(handWritten, values[^1]);
        Assert.Equal("visual", editor.Find("[data-testid=email-editor]").GetAttribute("data-view"));
        Assert.NotNull(editor.Find("[data-testid=hand-written]"));
        var shown = module.Invocations["setHtml"][^1];
        Assert.Equal(handWritten, shown.Arguments[1]);
    }

    [Fact]
    public async Task Editor_VisualChange_NormalisesSpacesAndReplacesHandWrittenHtml()
    {
        var module = context.JSInterop.SetupModule(Module);
        module.Setup<bool>("create", _ => true).SetResult(true);
        var (editor, values) = RenderEditor("");
        editor.Find("[data-testid=view-source]").Click();
        editor.Find("textarea[data-testid=html-source]").Input("<div>hand</div>");
        editor.Find("[data-testid=view-visual]").Click();

        await editor.InvokeAsync(() => editor.Instance.OnVisualChanged("<p><strong>Bold</strong>&nbsp;text</p>"));

        Assert.Equal("<p><strong>Bold</strong> text</p>", values[^1]);
        Assert.Empty(editor.FindAll("[data-testid=hand-written]"));
    }

    [Fact]
    public async Task Editor_InsertInSourceView_InsertsAtTheCursor()
    {
        var module = context.JSInterop.SetupModule(Module);
        module.Setup<bool>("create", _ => true).SetResult(true);
        module.Setup<string?>("insertAtCursor", _ => true).SetResult("<p>Dear {{ customer.first_name | default: \"Customer\" }},</p>");
        var (editor, values) = RenderEditor("<p>Dear ,</p>");
        editor.Find("[data-testid=view-source]").Click();

        await editor.InvokeAsync(() => editor.Instance.InsertAsync("{{ customer.first_name | default: \"Customer\" }}"));

        Assert.Equal("<p>Dear {{ customer.first_name | default: \"Customer\" }},</p>", values[^1]);
        Assert.Equal(QuillEditor.SourceSelector, module.Invocations["insertAtCursor"][^1].Arguments[0]);
    }

    [Fact]
    public void Picker_FieldWithFallback_InsertsLiquid()
    {
        string? inserted = null;
        var picker = context.Render<MergeFieldPicker>(p => p.Add(x => x.OnInsert, EventCallback.Factory.Create<string>(this, v => inserted = v)));

        picker.Find("[data-field='vehicle.make']").Click();
        Assert.Equal("your car", picker.Find("input[data-testid=merge-fallback]").GetAttribute("value"));
        picker.Find("input[data-testid=merge-fallback]").Input("your vehicle");
        picker.Find("[data-testid=insert-merge-field]").Click();

        Assert.Equal("{{ vehicle.make | default: \"your vehicle\" }}", inserted);
        Assert.Contains("{{ vehicle.make | default: \"your vehicle\" }}", picker.Find("[data-testid=merge-liquid]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Picker_GroupsFieldsByCustomerVehicleDealerRelationship()
    {
        var picker = context.Render<MergeFieldPicker>();

        var headers = picker.FindAll(".mud-list-subheader").Select(h => h.TextContent.Trim()).ToList();

        Assert.Equal(["Customer", "Vehicle", "Dealer", "Relationship", "Message"], headers);
        Assert.NotNull(picker.Find("[data-field='relationship.since']"));
    }

    [Theory]
    [InlineData("Hello", "Gsm7", "1", "5")]
    [InlineData("€€€", "Gsm7", "1", "6")]
    [InlineData("Hello 🙂", "Ucs2", "1", "8")]
    public void Counter_Text_ShowsEncodingPartsAndUnits(string text, string encoding, string segments, string units)
    {
        var counter = context.Render<SmsSegmentCounter>(p => p.Add(c => c.Text, text));

        var root = counter.Find("[data-testid=sms-counter]");
        Assert.Equal(encoding, root.GetAttribute("data-encoding"));
        Assert.Equal(segments, counter.Find("[data-testid=sms-segments]").TextContent);
        Assert.Equal(units, counter.Find("[data-testid=sms-units]").TextContent);
    }

    [Fact]
    public void Counter_LongTextThenUnicode_UpdatesLive()
    {
        var counter = context.Render<SmsSegmentCounter>(p => p.Add(c => c.Text, new string('a', 161)));
        Assert.Equal("2", counter.Find("[data-testid=sms-segments]").TextContent);

        counter.Render(p => p.Add(c => c.Text, "It’s time"));

        Assert.Equal("Ucs2", counter.Find("[data-testid=sms-counter]").GetAttribute("data-encoding"));
        Assert.Contains("’", counter.Find("[data-testid=sms-non-gsm]").TextContent, StringComparison.Ordinal);
    }
}
