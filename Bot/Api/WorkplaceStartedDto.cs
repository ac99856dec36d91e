namespace BotEngine.Bot.Api;

/// <summary>A dialog an operator started with a client: its id and the first message as stored.</summary>
public sealed record WorkplaceStartedDto(string DialogId, MessageDto Message);
