namespace BotEngine.Bot.Api;

/// <summary>A dialog with the bot on monitoring: the client, the channel, since when, and the external agent or the scenario (article) running.</summary>
public sealed record BotDialogDto(string Id, string ClientId, DateTimeOffset Since, string? ClientName = null, string? Channel = null, string? Agent = null, string? Scenario = null);
