namespace BotEngine.Bot.Auth;

public sealed class LoginThrottleOptions
{
    /// <summary>Failed sign-ins a login may have before each further one locks it for a doubling delay.</summary>
    public int LoginFailures { get; set; } = 5;

    /// <summary>As <see cref="LoginFailures"/>, for all logins tried from one address (an IPv6 /64 counts as one).</summary>
    public int AddressFailures { get; set; } = 20;

    /// <summary>The first lock; each further failure doubles it.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A counter with no failure for this long is forgotten.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Counters kept per kind (logins, addresses); the oldest are dropped beyond it, so memory stays bounded.</summary>
    public int MaxTracked { get; set; } = 10_000;

    public bool IsValid() =>
        LoginFailures >= 1 && AddressFailures >= 1 && FirstDelay > TimeSpan.Zero && MaxDelay >= FirstDelay
        && ForgetAfter >= MaxDelay && MaxTracked >= 100;
}
