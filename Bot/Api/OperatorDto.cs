namespace BotEngine.Bot.Api;

public sealed record OperatorDto(string Id, string Login, string DisplayName, int MaxDialogs, string Status, string[] Permissions, BotEngine.Handoff.RoutingProfile Routing, string? Position, bool Disabled = false);
