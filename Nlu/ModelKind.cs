namespace BotEngine.Nlu;

public enum ModelKind
{
    /// <summary>One-vs-rest linear SVM.</summary>
    Svm,

    /// <summary>Softmax network (one hidden layer, or none for logistic regression).</summary>
    Mlp,

    /// <summary>Both, logits mixed with a weight picked on held-out folds.</summary>
    SvmMlp,
}
