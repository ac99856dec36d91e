namespace BotEngine.Nlu;

public enum LinearKind
{
    Svm,
    Logistic,
}
