namespace BotEngine.Engine.Desk;

public sealed record TransferRequest(string? OperatorId, string? Line, string[]? Skills, bool ToBot, string? Note);
