using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AutomotiveCrm.Domain.Campaigns.Sms;

/// <summary>One SMS to submit: the E.164 number, the sender ID (null: the provider's default), the text, and our reference.</summary>
/// <param name="Reference">Stable per (run, recipient): a provider that deduplicates by reference drops a resubmission.</param>
public sealed record SmsMessage(string To, string? From, string Text, string Reference);

/// <summary>A failed submission: permanent (the provider refused this message: do not retry) or transient (retry later).</summary>
public sealed class SmsSendException(bool permanent, string reason, Exception? inner = null) : Exception(reason, inner)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>
/// Where campaign SMS go. <see cref="SendAsync"/> returns the provider's message id once the provider has accepted
/// the message and throws <see cref="SmsSendException"/> when it has not.
/// </summary>
public interface ISmsSender
{
    Task<string> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// The sender when <c>Campaigns:Sms:Provider</c> is empty: every message fails permanently with the reason, so a run
/// with SMS text still completes and its monitor says why nothing went out, instead of rows waiting for ever.
/// </summary>
public sealed class UnconfiguredSmsSender : ISmsSender
{
    public const string Reason = "no SMS provider is configured (Campaigns:Sms:Provider)";

    public Task<string> SendAsync(SmsMessage message, CancellationToken cancellationToken) => throw new SmsSendException(permanent: true, Reason);
}

/// <summary>The <c>Campaigns:Sms</c> section: which sender, and how to reach it.</summary>
public sealed class SmsSettings
{
    public const string Section = "Campaigns:Sms";

    /// <summary><c>Folder</c> (development: one JSON file per message) or <c>Http</c> (a provider's REST API); empty: SMS are not sent.</summary>
    public string? Provider { get; set; }

    /// <summary>Folder sender: where the files go (relative paths are resolved against the content root).</summary>
    public string Folder { get; set; } = "data/sms-outbox";

    /// <summary>HTTP sender: the provider's endpoint that takes one message per POST.</summary>
    public string? Url { get; set; }

    /// <summary>HTTP sender: the bearer token (keep it in user secrets or the environment, never in the repository).</summary>
    public string? Token { get; set; }

    /// <summary>The sender ID when the campaign names none; empty: the provider's default.</summary>
    public string? DefaultSenderId { get; set; }

    /// <summary>Messages per second (a token bucket of its own, apart from e-mail); 0 or less: no limit.</summary>
    public double SendRatePerSecond { get; set; } = 10;

    public double TimeoutSeconds { get; set; } = 30;
}

/// <summary>Sender IDs the networks take: up to 11 letters, digits and spaces with at least one letter, or a phone number.</summary>
public static partial class SmsSenderIds
{
    public static bool IsValid(string value) =>
        !string.IsNullOrEmpty(value) && (Alphanumeric().IsMatch(value) || Number().IsMatch(value));

    [GeneratedRegex(@"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")]
    private static partial Regex Alphanumeric();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex Number();
}

/// <summary>
/// A provider's REST API: each message is a JSON POST <c>{"to","from","text","reference"}</c> with a bearer token;
/// a 2xx answer is acceptance, and its JSON <c>id</c> (or <c>messageId</c>) the provider's id. 429 and 5xx are
/// transient (retried with back-off), other 4xx final for that message (a bad number, say).
/// </summary>
public sealed class HttpSmsSender(HttpClient http, SmsSettings settings) : ISmsSender
{
    public async Task<string> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url))
        {
            throw new SmsSendException(true, "Campaigns:Sms:Url is not an absolute URL.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { to = message.To, from = message.From, text = message.Text, reference = message.Reference }),
        };
        if (!string.IsNullOrEmpty(settings.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SmsSendException(false, $"connection: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SmsSendException(false, "the provider did not answer in time", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var transient = response.StatusCode == HttpStatusCode.TooManyRequests || code >= 500;
                var detail = body.Length > 300 ? body[..300] : body;
                throw new SmsSendException(!transient, string.Create(CultureInfo.InvariantCulture, $"{code} {response.ReasonPhrase}: {detail}").Trim());
            }

            return ProviderId(body) ?? message.Reference;
        }
    }

    private static string? ProviderId(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in new[] { "id", "messageId", "message_id" })
            {
                if (json.RootElement.TryGetProperty(name, out var id))
                {
                    return id.ValueKind == JsonValueKind.String ? id.GetString() : id.ToString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The development sender: each message becomes one JSON file in a folder, named after its reference, so a
/// resubmission overwrites rather than duplicates. Written to a temporary name and moved, so a reader never sees half a file.
/// </summary>
public sealed class FolderSmsSender(string folder) : ISmsSender
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Folder { get; } = folder;

    public async Task<string> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(Folder);
        var name = string.Concat(message.Reference.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        var path = Path.Combine(Folder, name + ".json");
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(new { message.To, message.From, message.Text, message.Reference }, Json), cancellationToken);
        File.Move(temp, path, overwrite: true);
        return "file:" + name;
    }
}
