namespace BotEngine.Engine.Knowledge;

/// <summary>A client message the bot did not understand or handed off; the turn stores it for the labelling inbox.</summary>
public sealed record BotMiss(string MessageId, string Kind)
{
    public const string NotUnderstood = "not_understood";
    public const string HandedOff = "handed_off";
}
