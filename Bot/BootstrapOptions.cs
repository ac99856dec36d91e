namespace BotEngine.Bot;

public sealed class BootstrapOptions
{
    /// <summary>The seeded admin's password (BOTENGINE_ADMIN_PASSWORD); generated and printed once when empty.</summary>
    public string? AdminPassword { get; set; }
}
