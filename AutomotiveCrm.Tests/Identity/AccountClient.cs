using System.Net;
using System.Text.RegularExpressions;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>
/// A browser-like client for the static account pages: reads a form's hidden fields (antiforgery token, form name),
/// posts it back with the user's entries, and keeps the cookies. Redirects are not followed, so tests see them.
/// </summary>
public sealed partial class AccountClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public void Dispose() => Http.Dispose();

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string url)
    {
        var response = await Http.GetAsync(new Uri(url, UriKind.Relative));
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs <paramref name="url"/>, then posts its form (the one named <paramref name="formName"/>) with <paramref name="fields"/>.</summary>
    public async Task<(HttpResponseMessage Response, string Html)> SubmitAsync(string url, string formName, IDictionary<string, string> fields)
    {
        var (get, html) = await GetAsync(url);
        Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)get.StatusCode} {get.Headers.Location}");
        var values = HiddenFields(html, formName);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        using var content = new FormUrlEncodedContent(values);
        var response = await Http.PostAsync(new Uri(url, UriKind.Relative), content);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Password sign-in; returns the response of the form post (a redirect when it worked).</summary>
    public Task<(HttpResponseMessage Response, string Html)> SignInAsync(string email, string password) =>
        SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>The hidden inputs of the form whose <c>_handler</c> is <paramref name="formName"/>.</summary>
    public static Dictionary<string, string> HiddenFields(string html, string formName)
    {
        foreach (Match form in FormPattern().Matches(html))
        {
            var fields = new Dictionary<string, string>();
            foreach (Match input in InputPattern().Matches(form.Value))
            {
                var tag = input.Value;
                if (!tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
                {
                    continue;
                }

                var name = Attribute(tag, "name");
                if (name is not null)
                {
                    fields[name] = Attribute(tag, "value") ?? "";
                }
            }

            if (fields.TryGetValue("_handler", out var handler) && handler == formName)
            {
                return fields;
            }
        }

        throw new InvalidOperationException($"No form '{formName}' in the page:\n{html}");
    }

    public static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\b{Regex.Escape(name)}=\"([^\"]*)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("<form\\b.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputPattern();
}
