using BotEngine.Http;
using BotEngine.Bot.Auth;
using BotEngine.Channels.DirectLine;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Nlu;
using BotEngine.Nlu.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot;

public sealed class BootstrapOptions
{
    /// <summary>The seeded admin's password (BOTENGINE_ADMIN_PASSWORD); generated and printed once when empty.</summary>
    public string? AdminPassword { get; set; }
}
