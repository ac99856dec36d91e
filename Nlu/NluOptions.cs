using BotEngine.Nlu.Encoders;
using BotEngine.Nlu.Features;
using BotEngine.Nlu.Training;

namespace BotEngine.Nlu;

/// <summary>Training settings. The defaults are what the benchmark runs with.</summary>
public sealed record NluOptions
{
    public FeatureConfig Features { get; init; } = new();
    public SvmOptions Svm { get; init; } = new();

    /// <summary>
    /// Word n-gram group weight used instead of <see cref="FeatureConfig.WordWeight"/> when most letters of the
    /// training text are Cyrillic: Russian inflection spreads one word over many forms, so the stems in the
    /// character n-grams deserve more of the vector (3-fold CV on ru_hwu train: 77.7 at 1.0, 78.0 at 0.7,
    /// 78.3 at 0.5; English sets did not gain). Null keeps the configured weight.
    /// </summary>
    public float? CyrillicWordWeight { get; init; } = 0.5f;
    public MlpOptions Mlp { get; init; } = new();

    /// <summary>
    /// Pretrained word vectors for the language of the examples (optional): their mean joins the features, and the
    /// model file carries them, so a message is understood in words the phrasings never used.
    /// </summary>
    public WordVectors? WordVectors { get; init; }

    /// <summary>
    /// Sentence encoder (optional): when its vocabulary covers the language of the examples, each message's
    /// embedding joins the n-gram features (weight <see cref="FeatureConfig.EncoderWeight"/>), and the model runs
    /// the encoder on every message it classifies. Otherwise (a Russian knowledge base with an English encoder)
    /// it is left out.
    /// </summary>
    public ISentenceEncoder? Encoder { get; init; }

    /// <summary>Embeddings already computed for <see cref="Encoder"/>, so a retrain embeds only new phrasings (optional).</summary>
    public EmbeddingCache? EmbeddingCache { get; init; }

    /// <summary>
    /// Hidden units of the network when <see cref="WordVectors"/> are given (null keeps <see cref="MlpOptions.Hidden"/>):
    /// the dense inputs make every unit dearer, and the mean vector already carries much of what a wider layer
    /// learns (clinc150, 2-fold held-out accuracy 94.81 % at 128 units, 94.73 % at 64, trained in 1.7 s less).
    /// </summary>
    public int? VectorNetworkHidden { get; init; } = 64;
    public ModelKind Kind { get; init; } = ModelKind.SvmMlp;

    /// <summary>What fills the linear slot of the ensemble: a one-vs-rest SVM or a softmax regression trained by SGD.</summary>
    public LinearKind Linear { get; init; } = LinearKind.Svm;

    /// <summary>Settings of the softmax regression when <see cref="Linear"/> is <see cref="LinearKind.Logistic"/>.</summary>
    public MlpOptions Logistic { get; init; } = new() { Hidden = 0, Epochs = 10, LearningRate = 1f, Dropout = 0f };

    /// <summary>
    /// Stratified folds used to fit the temperature and the oos threshold (fewer than 2 disables). Two, with the
    /// full-data final model: two half-data fold models and one full-data model cost the same training as three
    /// two-thirds fold models.
    /// </summary>
    public int CalibrationFolds { get; init; } = 2;

    /// <summary>
    /// What ships: the average of the fold models (no extra training), or one more model trained on all examples
    /// (the folds then serve only to calibrate it and pick the mix).
    /// </summary>
    public FinalModel Final { get; init; } = FinalModel.FullData;

    /// <summary>After the temperature, map the top probability through an isotonic fit on held-out folds (from 500 examples).</summary>
    public bool IsotonicCalibration { get; init; } = true;

    /// <summary>Fixed out-of-scope threshold on the top probability; null picks one from held-out folds.</summary>
    public double? OosThreshold { get; init; }

    /// <summary>When the threshold is picked automatically: share of held-out in-scope examples it may reject.</summary>
    public double OosRejectRate { get; init; } = 0.01;

    /// <summary>Label that marks out-of-scope examples; with such examples a dedicated class is trained.</summary>
    public string OosLabel { get; init; } = "oos";

    /// <summary>
    /// Loss multiplier of out-of-scope examples: there are few of them, and the oos class has to cover everything
    /// no intent does, so a larger weight buys oos recall (and honest confidences on oos traffic).
    /// </summary>
    public float OosWeight { get; init; } = 3f;

    /// <summary>
    /// Share of out-of-scope messages expected in live traffic: when calibrating, the held-out oos examples are
    /// weighted to make up this share (a training set has far fewer of them than a bot receives). Zero: weight 1.
    /// </summary>
    public double OosTrafficShare { get; init; } = 0.15;

    /// <summary>Reweight examples so every intent carries the same total weight (off: on ru_hwu it cost 1.6 points of CV accuracy).</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>Multiplier per example source: a label an operator chose is stronger evidence than a KB phrasing.</summary>
    public IReadOnlyDictionary<ExampleSource, float> SourceWeights { get; init; } = new Dictionary<ExampleSource, float>
    {
        [ExampleSource.KbPhrasing] = 1f,
        [ExampleSource.OperatorChoice] = 1f,
        [ExampleSource.ManualLabel] = 1f,
    };

    public int Seed { get; init; } = 1;

    /// <summary>Progress lines (the CLI sends them to stderr).</summary>
    public Action<string>? Log { get; init; }
}
