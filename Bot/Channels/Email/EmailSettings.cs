using System.Globalization;
using BotEngine.Engine.Channels;
using MailKit.Security;

namespace BotEngine.Channels.Email;

/// <summary>An e-mail channel's stored settings, read for the SMTP and IMAP clients (validated by <see cref="EmailChannelType"/>).</summary>
public sealed record EmailSettings(
    string SmtpHost,
    int SmtpPort,
    SecureSocketOptions SmtpSecurity,
    string? SmtpUsername,
    string? SmtpPassword,
    string FromAddress,
    string? FromName,
    string? ImapHost,
    int ImapPort,
    SecureSocketOptions ImapSecurity,
    string? ImapUsername,
    string? ImapPassword,
    string ImapFolder,
    TimeSpan PollInterval)
{
    public const string StartTls = "starttls";
    public const string Tls = "tls";
    public const string NoTls = "none";

    public static EmailSettings Of(ChannelInstance channel) => new(
        channel.Setting("smtpHost") ?? throw new InvalidOperationException($"E-mail channel '{channel.Id}' has no smtpHost."),
        Int(channel.Setting("smtpPort"), 25),
        Security(channel.Setting("smtpTls")),
        channel.Setting("smtpUsername"),
        channel.Setting("smtpPassword"),
        channel.Setting("fromAddress") ?? throw new InvalidOperationException($"E-mail channel '{channel.Id}' has no fromAddress."),
        channel.Setting("fromName"),
        channel.Setting("imapHost"),
        Int(channel.Setting("imapPort"), 993),
        Security(channel.Setting("imapTls")),
        channel.Setting("imapUsername"),
        channel.Setting("imapPassword"),
        channel.Setting("imapFolder") ?? "INBOX",
        TimeSpan.FromSeconds(Int(channel.Setting("pollIntervalSeconds"), 60)));

    /// <summary>The domain of our address: the right-hand side of the Message-IDs we make.</summary>
    public string Domain => FromAddress[(FromAddress.LastIndexOf('@') + 1)..];

    private static int Int(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static SecureSocketOptions Security(string? mode) => mode switch
    {
        Tls => SecureSocketOptions.SslOnConnect,
        NoTls => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };
}
