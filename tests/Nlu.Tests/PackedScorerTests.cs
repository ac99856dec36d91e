using System.Numerics.Tensors;
using BotEngine.Nlu.Training;

namespace BotEngine.Nlu.Tests;

public class PackedScorerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(77)]
    [InlineData(256)]
    [InlineData(407)]
    public void Int8_row_update_matches_the_scalar_sum(int length)
    {
        var rng = new Random(length);
        var w = new sbyte[length];
        var acc = new float[length];
        var expected = new float[length];
        for (int i = 0; i < length; i++)
        {
            w[i] = (sbyte)rng.Next(-127, 128);
            acc[i] = expected[i] = (float)rng.NextDouble();
        }

        PackedScorer.AddScaled(w, 0.37f, acc);
        for (int i = 0; i < length; i++)
        {
            expected[i] += w[i] * 0.37f;
        }

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(expected[i], acc[i], 4);
        }
    }

    [Fact]
    public void Packed_scores_agree_with_the_float_members()
    {
        var model = new IntentTrainer().Train(TinyData.Examples());
        Assert.NotEmpty(model.Networks);
        int k = model.Labels.Length;
        foreach (var text in new[] { "where is my parcel", "сменить пароль", "hello there", "i want to speak to a human being" })
        {
            var x = model.Vectorizer.Transform(text);
            var packed = model.RawScores(x);

            // the same ensemble in plain floats: linear rows plus the mean of the networks
            var reference = (float[])model.Bias.Clone();
            for (int i = 0; i < x.Count && model.Weights.Length > 0; i++)
            {
                TensorPrimitives.MultiplyAdd(model.Weights.AsSpan(x.Indices[i] * k, k), x.Values[i], reference, reference);
            }

            foreach (var net in model.Networks)
            {
                net.AddScores(x, reference, 1f / model.Networks.Count);
            }

            Assert.Equal(TensorPrimitives.IndexOfMax(reference), TensorPrimitives.IndexOfMax(packed));
            float scale = TensorPrimitives.MaxMagnitude(reference);
            for (int c = 0; c < k; c++)
            {
                // int8 rows: an error of a few percent of the largest score at most
                Assert.InRange(packed[c] - reference[c], -0.03f * MathF.Abs(scale) - 1e-3f, 0.03f * MathF.Abs(scale) + 1e-3f);
            }
        }
    }

    [Fact]
    public void Logistic_linear_member_and_full_data_final_model_both_predict()
    {
        var options = new NluOptions { Linear = LinearKind.Logistic, Final = FinalModel.FullData, Seed = 3 };
        var model = new IntentTrainer(options).Train(TinyData.Examples());
        Assert.Equal("change_password", model.Predict("reset my password please").Best!.Intent);
        Assert.Equal("delivery_status", model.Predict("где моя посылка").Best!.Intent);

        // the full-data model has one network (not one per fold)
        Assert.Single(model.Networks);
    }

    [Fact]
    public void Full_data_final_model_gets_the_fold_temperature_rescaled_to_its_sharper_logits()
    {
        var model = new IntentTrainer(new NluOptions { Final = FinalModel.FullData, CalibrationFolds = 2, Seed = 3 }).Train(TinyData.Examples());
        var m = model.Metadata.Metrics;
        // twice the data: more network steps and larger margins than the half-data fold models
        Assert.True(m["full_logit_scale"] > 1, $"scale {m["full_logit_scale"]}");
        Assert.Equal(m["temperature"] * m["full_logit_scale"], model.Temperature, 9);
    }

    [Fact]
    public void Mlp_options_without_hidden_layer_train_a_linear_softmax()
    {
        var options = new NluOptions { Kind = ModelKind.Mlp, Mlp = new MlpOptions { Hidden = 0, Epochs = 20, LearningRate = 1f, Dropout = 0 } };
        var model = new IntentTrainer(options).Train(TinyData.Examples());
        Assert.All(model.Networks, n => Assert.Equal(0, n.Hidden));
        Assert.Equal("refund", model.Predict("i want a refund").Best!.Intent);
    }
}

public class SvmSolverTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    public void All_classes_at_once_reaches_the_per_class_optimum(int syntheticClasses)
    {
        // squared hinge + L2 has one optimum, so both schedules must meet it when run to a tight tolerance; with
        // many classes most rows move only a few alphas, which takes the scalar update path
        var examples = syntheticClasses == 0 ? TinyData.Examples() : ManyClasses(syntheticClasses);
        var labels = examples.Select(e => e.Intent).Distinct().Order(StringComparer.Ordinal).ToList();
        var y = examples.Select(e => labels.IndexOf(e.Intent)).ToArray();
        var tokens = examples.Select(e => (IReadOnlyList<string>)Text.TextNormalizer.Tokenize(e.Text)).ToArray();
        var vec = Features.TfidfVectorizer.Fit(tokens, new Features.FeatureConfig { MinDf = 1 });
        var x = new Features.SparseMatrix(tokens.Select(t => vec.Transform(t)).ToArray(), vec.Dimension);
        var cost = Enumerable.Repeat(1f, y.Length).ToArray();
        var o = new SvmOptions { C = 2, Tolerance = 1e-4, MaxIterations = 5000, Threads = 1 };
        var (w1, b1) = OneVsRestSvm.Train(x, y, labels.Count, cost, o with { AllClassesAtOnce = true }, default);
        var (w2, b2) = OneVsRestSvm.Train(x, y, labels.Count, cost, o with { AllClassesAtOnce = false }, default);
        float scale = TensorPrimitives.MaxMagnitude(w2);
        Assert.True(scale > 0);
        for (int i = 0; i < w1.Length; i++)
        {
            Assert.InRange(w1[i] - w2[i], -0.01f * scale, 0.01f * scale);
        }

        for (int c = 0; c < b1.Length; c++)
        {
            Assert.InRange(b1[c] - b2[c], -0.02f, 0.02f);
        }
    }

    private static List<TrainingExample> ManyClasses(int classes)
    {
        // each class has two words of its own; fillers and a neighbour's word are shared, so classes overlap
        var rng = new Random(5);
        string[] fillers = ["please", "i", "want", "to", "know", "the", "my", "about", "now", "help"];
        var list = new List<TrainingExample>();
        for (int c = 0; c < classes; c++)
        {
            for (int e = 0; e < 6; e++)
            {
                var words = new List<string> { $"topic{c}", rng.Next(2) == 0 ? $"thing{c}" : $"thing{(c + 1) % classes}" };
                for (int f = 0; f < 3; f++)
                {
                    words.Add(fillers[rng.Next(fillers.Length)]);
                }

                list.Add(new TrainingExample(string.Join(' ', words.OrderBy(_ => rng.Next())), $"intent{c:00}"));
            }
        }

        return list;
    }
}
