namespace BotEngine.Engine.Desk;

/// <param name="Language">With or without a line and skills: the queue of operators who speak it.</param>
public sealed record TransferRequest(string? OperatorId, string? Line, string[]? Skills, bool ToBot, string? Note, string? Language = null);
