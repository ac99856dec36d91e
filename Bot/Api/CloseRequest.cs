namespace BotEngine.Bot.Api;

public sealed record CloseRequest(string? Topic, bool? ClientDissatisfied);
