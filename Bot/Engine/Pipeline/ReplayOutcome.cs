namespace BotEngine.Engine.Pipeline;

public enum ReplayOutcome
{
    Replayed,
    NotFound,
    NotParked,
    DialogClosed,
}
