namespace BotEngine.Engine.Desk;

public static class CallCentres
{
    public const string Default = "default";
}
