using Microsoft.AspNetCore.Components;

namespace AutomotiveCrm.Web.Account;

/// <summary>
/// Redirects from the static account pages (a navigation during static rendering becomes an HTTP redirect), with an
/// optional one-shot status message carried in a short-lived cookie. Only local URLs are followed: a return URL from
/// the query string never leads off the site.
/// </summary>
public sealed class AccountRedirects(NavigationManager navigation)
{
    public const string StatusCookieName = "Crm.StatusMessage";

    private static readonly CookieBuilder StatusCookie = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(10),
    };

    public void RedirectTo(string? uri)
    {
        navigation.NavigateTo(LocalOnly(uri));
    }

    public void RedirectTo(string uri, Dictionary<string, object?> query)
    {
        var path = navigation.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        RedirectTo(navigation.GetUriWithQueryParameters(path, query));
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookie.Build(context));
        RedirectTo(uri);
    }

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context) =>
        RedirectToWithStatus(navigation.ToAbsoluteUri(navigation.Uri).GetLeftPart(UriPartial.Path), message, context);

    /// <summary>A base-relative path for <paramref name="uri"/>: absolute URLs of this site are made relative, others go home.</summary>
    internal string LocalOnly(string? uri)
    {
        uri ??= "";
        if (Uri.IsWellFormedUriString(uri, UriKind.Relative) && !uri.StartsWith("//", StringComparison.Ordinal) && !uri.StartsWith("/\\", StringComparison.Ordinal))
        {
            return uri;
        }

        return navigation.ToAbsoluteUri(uri) is { } absolute && absolute.ToString().StartsWith(navigation.BaseUri, StringComparison.OrdinalIgnoreCase)
            ? navigation.ToBaseRelativePath(absolute.ToString())
            : "";
    }
}
