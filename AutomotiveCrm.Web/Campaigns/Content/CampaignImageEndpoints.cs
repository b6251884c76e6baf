using AutomotiveCrm.Domain.Campaigns.Content;
using AutomotiveCrm.Domain.Tenancy;

namespace AutomotiveCrm.Web.Campaigns.Content;

/// <summary>
/// Serves campaign images at <c>/campaign-images/{token}.{ext}</c> without sign-in: mail clients fetch them, and the
/// 128-bit random token is the secret. Only the stored raster types are ever served, with <c>nosniff</c> and a
/// restrictive content security policy, so a response can never be read as a page or a script.
/// </summary>
public static class CampaignImageEndpoints
{
    public static IEndpointRouteBuilder MapCampaignImageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(CampaignContentEditing.ImagePathPrefix + "{file}", ServeAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string file, HttpContext http, ISystemDbContextFactory contexts, CancellationToken cancellationToken)
    {
        var dot = file.LastIndexOf('.');
        if (dot <= 0)
        {
            return Results.NotFound();
        }

        await using var db = contexts.CreateDbContext();
        var image = await CampaignImages.FindAsync(db, file[..dot], file[(dot + 1)..], cancellationToken);
        if (image is null)
        {
            return Results.NotFound();
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.File(image.Data, image.ContentType, lastModified: new DateTimeOffset(image.UploadedAt, TimeSpan.Zero));
    }
}
