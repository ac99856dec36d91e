namespace BotEngine.Engine.Clients;

/// <summary>
/// How the web widget's signed sign-in is checked (section <c>Widget</c>): the secret the site shares with the engine,
/// the scheme (<c>hmac</c> or <c>md5</c>), and how old an HMAC signature's timestamp may be.
/// </summary>
public sealed class WidgetIdentityOptions
{
    public string? IdentitySecret { get; set; }

    public string IdentityScheme { get; set; } = FieldSignature.Hmac;

    public TimeSpan SignatureMaxAge { get; set; } = TimeSpan.FromHours(24);
}
