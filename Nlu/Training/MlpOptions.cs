namespace BotEngine.Nlu.Training;

public sealed record MlpOptions
{
    /// <summary>Hidden ReLU units; 0 trains plain multinomial logistic regression.</summary>
    public int Hidden { get; init; } = 256;
    public int Epochs { get; init; } = 10;
    public float LearningRate { get; init; } = 0.2f;
    public float Dropout { get; init; } = 0.3f;
    public float L2 { get; init; } = 0f;
    public int Seed { get; init; } = 1;
}
