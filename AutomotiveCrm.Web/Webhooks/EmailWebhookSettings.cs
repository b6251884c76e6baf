namespace AutomotiveCrm.Web.Webhooks;

/// <summary>
/// The <c>Email:Webhooks</c> section. Secrets come from the environment or a secret store in production
/// (<c>Email__Webhooks__Secret</c>); the repository only holds an obviously-development value for Development.
/// Without a secret every webhook call is refused.
/// </summary>
public sealed class EmailWebhookSettings
{
    public const string Section = "Email:Webhooks";

    /// <summary>The HMAC-SHA256 key of the provider-neutral JSON webhook.</summary>
    public string? Secret { get; set; }

    /// <summary>How far the signed timestamp may be from now, either way.</summary>
    public int ToleranceSeconds { get; set; } = 300;

    /// <summary>The form-posting provider (notification API in the style of the legacy SocketLabs receiver).</summary>
    public FormPostSettings FormPost { get; set; } = new();

    /// <summary>Largest accepted request body.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}

public sealed class FormPostSettings
{
    /// <summary>Sent by the provider in the <c>SecretKey</c> field of every notification.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Returned as the body of the provider's <c>Type=Validation</c> request, which proves to it that this endpoint is ours.</summary>
    public string? ValidationKey { get; set; }
}
