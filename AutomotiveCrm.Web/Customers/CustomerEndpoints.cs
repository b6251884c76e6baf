using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Customers;

/// <summary>
/// File downloads of the customer list. They take the list's own query string, read through the request's
/// user-scoped context (so an export holds exactly what the user's list shows) and stream the rows.
/// </summary>
public static class CustomerEndpoints
{
    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/customers").RequireAuthorization(PermissionPolicies.ExportCustomers);
        group.MapGet("/export.csv", ExportCsvAsync);
        group.MapGet("/export.xlsx", ExportXlsxAsync);
        return app;
    }

    private static async Task ExportCsvAsync(HttpContext http, IDbContextFactory<CrmDbContext> contexts, TimeProvider clock)
    {
        var filter = CustomerListQuery.Parse(http.Request.Query).Filter;
        await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(clock, "csv")}\"";
        await CustomerExport.WriteCsvAsync(CustomerSearch.StreamAsync(db, filter, http.RequestAborted), http.Response.Body, http.RequestAborted);
    }

    private static async Task ExportXlsxAsync(HttpContext http, IDbContextFactory<CrmDbContext> contexts, TimeProvider clock)
    {
        var filter = CustomerListQuery.Parse(http.Request.Query).Filter;
        await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
        // The workbook package needs a seekable stream: a temporary file keeps memory flat for long lists.
        var path = Path.GetTempFileName();
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await CustomerExport.WriteXlsxAsync(CustomerSearch.StreamAsync(db, filter, http.RequestAborted), file, http.RequestAborted);
        file.Position = 0;
        http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(clock, "xlsx")}\"";
        http.Response.ContentLength = file.Length;
        await file.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static string FileName(TimeProvider clock, string extension) =>
        $"customers-{clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.{extension}";
}
