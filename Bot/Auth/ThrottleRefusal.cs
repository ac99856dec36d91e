namespace BotEngine.Bot.Auth;

/// <summary>Why a sign-in attempt was refused before its password was checked, and how long to wait.</summary>
public sealed record ThrottleRefusal(TimeSpan RetryAfter, bool ForAddress)
{
    public int RetryAfterSeconds => (int)Math.Ceiling(RetryAfter.TotalSeconds);

    public string Message
    {
        get
        {
            var wait = RetryAfterSeconds < 120 ? $"{RetryAfterSeconds} s" : $"{(int)Math.Ceiling(RetryAfter.TotalMinutes)} min";
            return ForAddress
                ? $"Too many failed sign-ins from your address; try again in {wait}."
                : $"Too many failed sign-ins for this login; try again in {wait}.";
        }
    }
}
