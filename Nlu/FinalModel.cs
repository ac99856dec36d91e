namespace BotEngine.Nlu;

public enum FinalModel
{
    FoldAverage,
    FullData,
}
