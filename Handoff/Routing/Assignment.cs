namespace BotEngine.Handoff;

public sealed record Assignment(string DialogId, string OperatorId, AssignmentReason Reason, bool Overflowed);
