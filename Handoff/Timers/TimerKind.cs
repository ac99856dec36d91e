namespace BotEngine.Handoff;

public enum TimerKind
{
    OperatorResponse,
    ClientReminder,
    ClientDetach,
    ClientAutoClose,
    HoldOperator,
    HoldClient,
    Idle,
}
