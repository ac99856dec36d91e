namespace BotEngine.Storage.Learning;

/// <summary>How the source of a training example is stored.</summary>
public static class TrainingSources
{
    public const string KbPhrasing = "kb_phrasing";
    public const string OperatorChoice = "operator_choice";
    public const string ManualLabel = "manual_label";
    /// <summary>A client's pick among the articles a "did you mean" question offered.</summary>
    public const string ClientPick = "client_pick";
}
