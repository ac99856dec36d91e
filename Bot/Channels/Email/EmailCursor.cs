using System.Globalization;

namespace BotEngine.Channels.Email;

/// <summary>
/// Where IMAP polling stands, stored as the channel's inbound cursor "uidvalidity:uid": every mail up to that UID has
/// been taken. A folder whose UIDVALIDITY changed (recreated, or another folder configured) starts afresh.
/// </summary>
public readonly record struct EmailCursor(uint Validity, uint LastUid)
{
    public static EmailCursor? Parse(string? text) =>
        text?.Split(':') is [var validity, var uid]
        && uint.TryParse(validity, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
        && uint.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
            ? new EmailCursor(v, u)
            : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Validity}:{LastUid}");
}
