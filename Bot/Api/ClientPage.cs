using BotEngine.Engine.Clients;

namespace BotEngine.Bot.Api;

public sealed record ClientPage(IReadOnlyList<ClientProfile> Clients, string? NextCursor);
