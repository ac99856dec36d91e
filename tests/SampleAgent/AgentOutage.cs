namespace BotEngine.SampleAgent;

/// <summary>A switch that makes the agent answer 503 to everything, as a service that is down does.</summary>
public sealed class AgentOutage
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }
}
