using System.Globalization;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using MimeKit;

namespace BotEngine.Channels.Email;

/// <summary>
/// A mailbox as a channel. Out by SMTP: <c>smtpHost</c>, <c>smtpPort</c> (default by TLS mode: 465, 587 or 25),
/// <c>smtpTls</c> (<c>starttls</c>, the default, <c>tls</c> or <c>none</c>), <c>smtpUsername</c>, <c>smtpPassword</c>
/// (write-only), <c>fromAddress</c> and <c>fromName</c>. In by IMAP polling, when <c>imapHost</c> is set:
/// <c>imapPort</c> (993, or 143 without TLS), <c>imapTls</c>, <c>imapUsername</c>, <c>imapPassword</c> (write-only),
/// <c>imapFolder</c> (INBOX) and <c>pollIntervalSeconds</c> (1-3600, default 60). Ports and the interval may be
/// given as numbers or strings; they are stored as strings.
/// </summary>
public sealed class EmailChannelType : IChannelType
{
    public const string TypeName = "email";

    private static readonly string[] Known =
    [
        "smtpHost", "smtpPort", "smtpTls", "smtpUsername", "smtpPassword", "fromAddress", "fromName",
        "imapHost", "imapPort", "imapTls", "imapUsername", "imapPassword", "imapFolder", "pollIntervalSeconds",
    ];

    public string Name => TypeName;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["smtpPassword", "imapPassword"];

    public JsonObject Validate(JsonObject settings)
    {
        ChannelSettingsReader.OnlyKnown(settings, "e-mail", Known);
        var smtpHost = Host(settings, "smtpHost") ?? throw new ChannelSettingsException("settings.smtpHost: required, the SMTP server mail is sent through.");
        var smtpTls = Tls(settings, "smtpTls");
        var smtpPort = Number(settings, "smtpPort", 1, 65535) ?? smtpTls switch { EmailSettings.Tls => 465, EmailSettings.StartTls => 587, _ => 25 };
        var from = ChannelSettingsReader.Required(settings, "fromAddress", "the address our mail comes from and clients write to");
        if (!MailboxAddress.TryParse(from, out var fromMailbox) || fromMailbox.Address.IndexOf('@', StringComparison.Ordinal) <= 0 || from.Contains('<', StringComparison.Ordinal))
            throw new ChannelSettingsException($"settings.fromAddress: '{from}' is not an e-mail address (name@domain, without a display name; that goes in fromName).");
        var fromName = ChannelSettingsReader.Text(settings, "fromName", 100);
        var smtpUser = ChannelSettingsReader.Text(settings, "smtpUsername", 320);
        var smtpPassword = ChannelSettingsReader.Text(settings, "smtpPassword", 1000);
        if ((smtpUser is null) != (smtpPassword is null))
            throw new ChannelSettingsException("settings.smtpPassword: smtpUsername and smtpPassword go together (both, or neither for a server that needs no sign-in).");

        var imapHost = Host(settings, "imapHost");
        string? imapTls = null, imapPort = null, imapUser = null, imapPassword = null, folder = null, interval = null;
        if (imapHost is not null)
        {
            var tls = Tls(settings, "imapTls");
            imapTls = tls;
            imapPort = Text(Number(settings, "imapPort", 1, 65535) ?? (tls == EmailSettings.Tls ? 993 : 143));
            imapUser = ChannelSettingsReader.Required(settings, "imapUsername", "the mailbox's IMAP login");
            imapPassword = ChannelSettingsReader.Required(settings, "imapPassword", "the mailbox's IMAP password");
            folder = ChannelSettingsReader.Text(settings, "imapFolder", 200) ?? "INBOX";
            interval = Text(Number(settings, "pollIntervalSeconds", 1, 3600) ?? 60);
        }
        else if (Known.Skip(8).FirstOrDefault(settings.ContainsKey) is { } orphan)
        {
            throw new ChannelSettingsException($"settings.{orphan}: set imapHost too, or leave the IMAP settings out for a channel that only sends.");
        }

        return ChannelSettingsReader.Collect(
            ("smtpHost", smtpHost), ("smtpPort", Text(smtpPort)), ("smtpTls", smtpTls), ("smtpUsername", smtpUser), ("smtpPassword", smtpPassword),
            ("fromAddress", fromMailbox.Address), ("fromName", fromName),
            ("imapHost", imapHost), ("imapPort", imapPort), ("imapTls", imapTls), ("imapUsername", imapUser), ("imapPassword", imapPassword),
            ("imapFolder", folder), ("pollIntervalSeconds", interval));
    }

    private static string? Host(JsonObject settings, string name)
    {
        var host = ChannelSettingsReader.Text(settings, name, 253);
        if (host is not null && (Uri.CheckHostName(host) == UriHostNameType.Unknown || host.Contains(':', StringComparison.Ordinal) && Uri.CheckHostName(host) != UriHostNameType.IPv6))
            throw new ChannelSettingsException($"settings.{name}: '{host}' is not a host name or IP address (no scheme, no port: the port has its own setting).");
        return host;
    }

    private static string Tls(JsonObject settings, string name)
    {
        var mode = ChannelSettingsReader.Text(settings, name) ?? EmailSettings.StartTls;
        return mode is EmailSettings.StartTls or EmailSettings.Tls or EmailSettings.NoTls
            ? mode
            : throw new ChannelSettingsException($"settings.{name}: '{mode}' is not one of starttls, tls, none.");
    }

    private static int? Number(JsonObject settings, string name, int min, int max)
    {
        int? number = settings[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var n) => n,
            JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new ChannelSettingsException($"settings.{name}: must be a whole number from {min} to {max}."),
        };
        return number is null || (number >= min && number <= max) ? number : throw new ChannelSettingsException($"settings.{name}: must be a whole number from {min} to {max}.");
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
