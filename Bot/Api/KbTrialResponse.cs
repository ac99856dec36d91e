using BotEngine.KnowledgeBase;

namespace BotEngine.Bot.Api;

/// <summary>
/// What the bot would do with a message. <paramref name="Reason"/> says why <paramref name="ChosenArticleId"/> was chosen
/// or why none was: <c>exact_phrasing</c> (the message is one of an article's phrasings), <c>confident</c> (the
/// classifier's best offered article reached <paramref name="Threshold"/>), <c>scenario</c> (the message answered a
/// slot question of the scenario in progress), <c>below_threshold</c>, <c>not_offered</c>, <c>out_of_scope</c>,
/// <c>clarify</c> ("did you mean" buttons). <paramref name="ClassifierCurrent"/> is false while the classifier has not yet
/// been trained on the latest KB (always for a draft): new phrasings are then matched exactly only.
/// </summary>
public sealed record KbTrialResponse(
    IReadOnlyList<KbTrialCandidate> Top, string? ChosenArticleId, string? ChosenTitle, string Reason, double Threshold,
    bool ExactPhrasing, bool ClassifierCurrent, string Outcome, IReadOnlyList<KbTrialMessage> Messages,
    IReadOnlyDictionary<string, string> Slots, DialogState State);
