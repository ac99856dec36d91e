using System.Text.RegularExpressions;

namespace BotEngine.KnowledgeBase;

/// <summary>
/// The regular expressions a KB author writes (regex slots, "matches" conditions), run with a time limit. A pattern
/// that takes longer than <see cref="MatchTimeout"/> on a client's text (catastrophic backtracking, such as
/// <c>^(a+)+$</c> on "aaaa…b") counts as no match, so the slot asks again instead of failing the turn; so does a
/// pattern that does not compile (stored before the KB was validated on save).
/// </summary>
public static class KbPatterns
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);
    public const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    public static bool IsMatch(string text, string pattern)
    {
        try
        {
            return Regex.IsMatch(text, pattern, Options, MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The first match, or an unsuccessful one when there is none in time.</summary>
    public static Match Match(string text, string pattern)
    {
        try
        {
            return Regex.Match(text, pattern, Options, MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return System.Text.RegularExpressions.Match.Empty;
        }
        catch (ArgumentException)
        {
            return System.Text.RegularExpressions.Match.Empty;
        }
    }

    /// <summary>Why the pattern does not compile with the options and time limit it runs with; null when it does.</summary>
    public static string? CompileError(string pattern)
    {
        try
        {
            _ = new Regex(pattern, Options, MatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
