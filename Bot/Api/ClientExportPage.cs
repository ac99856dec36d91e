using BotEngine.Engine.Clients;

namespace BotEngine.Bot.Api;

public sealed record ClientExportPage(IReadOnlyList<ClientProfile> Clients, string? NextCursor);
