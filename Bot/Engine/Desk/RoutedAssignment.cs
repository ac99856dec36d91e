namespace BotEngine.Engine.Desk;

public sealed record RoutedAssignment(string DialogId, string OperatorId, long ElapsedTicks);
