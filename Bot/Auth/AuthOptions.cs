namespace BotEngine.Bot.Auth;

public sealed class AuthOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
