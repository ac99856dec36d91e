namespace BotEngine.Handoff;

public enum CloseReason
{
    Operator,
    ClientTimeout,
    Idle,
    Supervisor,
}
