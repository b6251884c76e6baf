using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Web.Webhooks;

/// <summary>One delivery event as the webhook formats agree on, before it is recorded.</summary>
public sealed record WebhookEvent(string Id, MessageEventType Type, string MessageId, DateTime? OccurredAt, string? Url, string? Reason, string? UserAgent,
    string? Ip);

/// <summary>
/// <c>POST /webhooks/email/{provider}</c>: delivery events from e-mail delivery services into the message ledger.
/// <list type="bullet">
/// <item><c>generic</c>: the provider-neutral JSON (<c>{"events":[{"id","type","messageId","occurredAt","url","reason","userAgent","ip"}]}</c>
/// or one such event object), signed as <see cref="WebhookSignature"/> says; a missing or bad signature, or a
/// timestamp more than <see cref="EmailWebhookSettings.ToleranceSeconds"/> away, is refused with 401 and logged.</item>
/// <item><c>formpost</c>: a provider that posts form fields per notification (the legacy receiver's SocketLabs-style
/// notification API): authenticated by its <c>SecretKey</c> field; its <c>Type=Validation</c> call is answered with
/// the validation key.</item>
/// </list>
/// Event ids make deliveries idempotent: an event already recorded answers 200 and changes nothing, so providers
/// may retry freely. Events for messages we do not know are acknowledged (200) and counted, not retried forever.
/// </summary>
public static partial class EmailWebhookEndpoints
{
    public const string GenericProvider = "generic";
    public const string FormPostProvider = "formpost";

    public static IEndpointRouteBuilder MapEmailWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/email/{provider}", ReceiveAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private sealed record Outcome(int Recorded, int Duplicates, int UnknownMessages);

    private static async Task<IResult> ReceiveAsync(string provider, HttpContext http, IOptions<EmailWebhookSettings> options, MessageLedger ledger,
        ISystemDbContextFactory contexts, TimeProvider clock, ILogger<MessageLedger> logger)
    {
        var settings = options.Value;
        var remote = http.Connection.RemoteIpAddress?.ToString();
        switch (provider.ToLowerInvariant())
        {
            case GenericProvider:
            {
                if (string.IsNullOrEmpty(settings.Secret))
                {
                    LogRefused(logger, provider, "no secret configured (Email:Webhooks:Secret)", remote);
                    return Refused();
                }

                var body = await ReadBodyAsync(http.Request, settings.MaxBodyBytes, http.RequestAborted);
                if (body is null)
                {
                    return Results.Json(new { error = $"The body is larger than {settings.MaxBodyBytes} bytes." }, statusCode: StatusCodes.Status413PayloadTooLarge);
                }

                var verdict = WebhookSignature.Verify(settings.Secret, http.Request.Headers[WebhookSignature.TimestampHeader],
                    http.Request.Headers[WebhookSignature.SignatureHeader], body, clock.GetUtcNow(), settings.ToleranceSeconds);
                if (verdict != WebhookSignature.Verdict.Valid)
                {
                    LogRefused(logger, provider, verdict.ToString().ToLowerInvariant() + " signature", remote);
                    return Refused();
                }

                var (events, error) = ParseJson(body);
                if (error is not null)
                {
                    return Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);
                }

                var outcome = await RecordAsync(GenericProvider, events!, ledger, contexts, clock, http.RequestAborted);
                return Results.Json(new { recorded = outcome.Recorded, duplicates = outcome.Duplicates, unknownMessages = outcome.UnknownMessages });
            }

            case FormPostProvider:
            {
                if (!http.Request.HasFormContentType)
                {
                    return Results.Json(new { error = "Expected a form post (application/x-www-form-urlencoded)." }, statusCode: StatusCodes.Status415UnsupportedMediaType);
                }

                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                if (string.IsNullOrEmpty(settings.FormPost.SecretKey) || !WebhookSignature.SameSecret(form["SecretKey"], settings.FormPost.SecretKey))
                {
                    LogRefused(logger, provider, "wrong or missing SecretKey", remote);
                    return Refused();
                }

                if (string.Equals(form["Type"], "Validation", StringComparison.OrdinalIgnoreCase))
                {
                    return string.IsNullOrEmpty(settings.FormPost.ValidationKey)
                        ? Results.Json(new { error = "No validation key is configured (Email:Webhooks:FormPost:ValidationKey)." }, statusCode: StatusCodes.Status409Conflict)
                        : Results.Text(settings.FormPost.ValidationKey, "text/plain");
                }

                var (item, error) = ParseForm(form);
                if (error is not null)
                {
                    return Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);
                }

                var outcome = await RecordAsync(FormPostProvider, [item!], ledger, contexts, clock, http.RequestAborted);
                return Results.Json(new { recorded = outcome.Recorded, duplicates = outcome.Duplicates, unknownMessages = outcome.UnknownMessages });
            }

            default:
                return Results.Json(new { error = $"No e-mail webhook provider '{provider}': use {GenericProvider} or {FormPostProvider}." },
                    statusCode: StatusCodes.Status404NotFound);
        }
    }

    // A body of its own: an empty 401 would be re-executed by the app's status-code pages as a page request.
    private static IResult Refused() => Results.Json(new { error = "Not authenticated." }, statusCode: StatusCodes.Status401Unauthorized);

    private static async Task<Outcome> RecordAsync(string provider, IReadOnlyList<WebhookEvent> events, MessageLedger ledger, ISystemDbContextFactory contexts,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        int recorded = 0, duplicates = 0, unknown = 0;
        await using var db = contexts.CreateDbContext(AuditSource.Api);
        foreach (var e in events)
        {
            var result = await ledger.RecordAsync(db, new DeliveryEventInput(provider, e.Id, e.Type, e.OccurredAt ?? clock.GetUtcNow().UtcDateTime,
                MessageIdHeader: e.MessageId, Url: e.Url, Detail: e.Reason, UserAgent: e.UserAgent, IpAddress: e.Ip), cancellationToken);
            switch (result)
            {
                case RecordOutcome.Recorded: recorded++; break;
                case RecordOutcome.Duplicate: duplicates++; break;
                default: unknown++; break;
            }
        }

        return new Outcome(recorded, duplicates, unknown);
    }

    /// <summary>The event types by name: "hard_bounce", "hard-bounce" and "HardBounce" are the same.</summary>
    public static MessageEventType? TypeOf(string? name) =>
        (name ?? "").Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant() switch
        {
            "DELIVERED" => MessageEventType.Delivered,
            "DEFERRED" => MessageEventType.Deferred,
            "SOFTBOUNCE" => MessageEventType.SoftBounce,
            "HARDBOUNCE" => MessageEventType.HardBounce,
            "COMPLAINT" or "SPAMREPORT" => MessageEventType.Complaint,
            "UNSUBSCRIBE" or "UNSUBSCRIBED" => MessageEventType.Unsubscribe,
            "OPEN" or "OPENED" => MessageEventType.Open,
            "CLICK" or "CLICKED" => MessageEventType.Click,
            _ => null,
        };

    /// <summary>All events or the first problem, named by its path ("events[2].type: ..."): nothing is recorded from a body with a bad event.</summary>
    public static (IReadOnlyList<WebhookEvent>? Events, string? Error) ParseJson(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return (null, "The body is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object: {\"events\": [...]} or one event.");
            }

            var single = !root.TryGetProperty("events", out var list);
            if (!single && list.ValueKind != JsonValueKind.Array)
            {
                return (null, "events: must be an array.");
            }

            var items = single ? [root] : list.EnumerateArray().ToList();
            if (items.Count > 1000)
            {
                return (null, "events: at most 1000 per request.");
            }

            var events = new List<WebhookEvent>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var path = single ? "" : string.Create(CultureInfo.InvariantCulture, $"events[{i}].");
                var item = items[i];
                if (item.ValueKind != JsonValueKind.Object)
                {
                    return (null, path.TrimEnd('.') + ": must be an object.");
                }

                var id = Text(item, "id");
                if (string.IsNullOrWhiteSpace(id))
                {
                    return (null, path + "id: required (the event id makes retries safe).");
                }

                var typeName = Text(item, "type");
                if (TypeOf(typeName) is not { } type)
                {
                    return (null, path + $"type: '{typeName}' is not one of delivered, deferred, soft_bounce, hard_bounce, complaint, unsubscribe, open, click.");
                }

                var messageId = Text(item, "messageId");
                if (string.IsNullOrWhiteSpace(messageId))
                {
                    return (null, path + "messageId: required (the Message-ID header of the e-mail).");
                }

                DateTime? occurred = null;
                if (Text(item, "occurredAt") is { } at)
                {
                    if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        return (null, path + $"occurredAt: '{at}' is not an ISO 8601 date and time.");
                    }

                    occurred = parsed.UtcDateTime;
                }

                events.Add(new WebhookEvent(id.Trim(), type, messageId.Trim(), occurred, Text(item, "url"), Text(item, "reason"), Text(item, "userAgent"), Text(item, "ip")));
            }

            return (events, null);
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>
    /// A notification of the form-posting provider: Type Delivered, Failed (FailureType hard or soft), Deferred,
    /// Complaint, or Tracking (TrackingType 0 click, 1 open, 2 unsubscribe). Without an EventId field the event's
    /// key is a hash of everything posted but the secret, so a re-post of the same notification is a replay.
    /// </summary>
    public static (WebhookEvent? Event, string? Error) ParseForm(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var typeName = form["Type"].ToString();
        MessageEventType? type = typeName.ToUpperInvariant() switch
        {
            "DELIVERED" => MessageEventType.Delivered,
            "DEFERRED" => MessageEventType.Deferred,
            "COMPLAINT" => MessageEventType.Complaint,
            "FAILED" => form["FailureType"].ToString().Trim().ToUpperInvariant() is "HARD" or "PERMANENT" or "1" ? MessageEventType.HardBounce : MessageEventType.SoftBounce,
            "TRACKING" => form["TrackingType"].ToString().Trim() switch
            {
                "0" => MessageEventType.Click,
                "1" => MessageEventType.Open,
                "2" => MessageEventType.Unsubscribe,
                _ => null,
            },
            _ => null,
        };
        if (type is null)
        {
            return (null, typeName.Equals("Tracking", StringComparison.OrdinalIgnoreCase)
                ? $"TrackingType: '{form["TrackingType"]}' is not 0 (click), 1 (open) or 2 (unsubscribe)."
                : $"Type: '{typeName}' is not Delivered, Failed, Deferred, Complaint, Tracking or Validation.");
        }

        var messageId = form["MessageId"].ToString();
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return (null, "MessageId: required (the Message-ID header of the e-mail).");
        }

        DateTime? occurred = null;
        var at = form["DateTime"].ToString();
        if (at.Length > 0)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return (null, $"DateTime: '{at}' is not a date and time.");
            }

            occurred = parsed.UtcDateTime;
        }

        var id = form["EventId"].ToString();
        if (id.Length == 0)
        {
            var canonical = string.Join("\n", form.Where(f => !f.Key.Equals("SecretKey", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
            id = "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }

        var reason = string.Join(" ", new[] { form["FailureCode"].ToString(), form["Reason"].ToString() }.Where(s => s.Length > 0));
        return (new WebhookEvent(id, type.Value, messageId.Trim(), occurred, NullIfEmpty(form["Url"]), NullIfEmpty(reason), NullIfEmpty(form["UserAgent"]),
            NullIfEmpty(form["ClientIp"])), null);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mail webhook {Provider} refused with 401: {Reason} (from {Address}).")]
    private static partial void LogRefused(ILogger logger, string provider, string reason, string? address);
}
