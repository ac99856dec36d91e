namespace BotEngine.Handoff;

public sealed record HoldState(HoldKind Kind, DateTimeOffset StartedAt);
