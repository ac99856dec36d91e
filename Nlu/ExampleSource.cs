namespace BotEngine.Nlu;

/// <summary>Where a training example came from; the learning loop weighs sources differently.</summary>
public enum ExampleSource
{
    KbPhrasing,
    OperatorChoice,
    ManualLabel,
}
