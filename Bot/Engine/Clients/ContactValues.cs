using System.Net.Mail;
using System.Text;

namespace BotEngine.Engine.Clients;

/// <summary>
/// Contact values in the one form they are stored and compared in: a phone as + and its digits (a Russian 8XXXXXXXXXX
/// or a bare ten-digit 9XXXXXXXXX becomes +7...), an e-mail trimmed and in lower case.
/// </summary>
public static class ContactValues
{
    public static string NormalizePhone(string value, string field = "phone")
    {
        var digits = new StringBuilder();
        foreach (var ch in value)
        {
            if (char.IsAsciiDigit(ch))
                digits.Append(ch);
            else if (ch is not (' ' or '-' or '(' or ')' or '+' or '.'))
                throw new ClientProfileException($"{field}: '{value}' is not a phone number (digits, spaces, + - ( ) only).", "client.bad_phone");
        }
        var d = digits.ToString();
        if (d.Length == 11 && d[0] == '8' && !value.TrimStart().StartsWith('+'))
            d = "7" + d[1..];
        else if (d.Length == 10 && d[0] == '9')
            d = "7" + d;
        if (d.Length is < 10 or > 15)
            throw new ClientProfileException($"{field}: '{value}' has {d.Length} digits; a phone number has 10 to 15.", "client.bad_phone");
        return "+" + d;
    }

    public static string NormalizeEmail(string value, string field = "email")
    {
        var trimmed = value.Trim();
        if (trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || !trimmed.Contains('.', StringComparison.Ordinal))
            throw new ClientProfileException($"{field}: '{value}' is not an e-mail address.", "client.bad_email");
        return trimmed.ToLowerInvariant();
    }

    /// <summary>What a search by name, phone, e-mail or contract matches, in lower case (SQLite's lower() leaves Cyrillic alone).</summary>
    public static string SearchText(string? displayName, string? firstName, string? lastName, string? phone, string? email, string? contract) =>
        string.Join(' ', new[] { displayName, firstName, lastName, phone, email, contract }.Where(v => !string.IsNullOrEmpty(v))).ToLowerInvariant();
}
