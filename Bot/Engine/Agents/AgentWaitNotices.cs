using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Tells a client whose agent has not answered within <see cref="AgentOptions.WaitNoticeAfter"/> to wait, once per
/// call (a redirect whose article already said something counts as told). The mark and the message commit together.
/// </summary>
public sealed class AgentWaitNotices(
    Database database,
    AgentDialogStore dialogs,
    AgentCallStore calls,
    OutboundWriter writer,
    EffectsPublisher effects,
    SystemTexts texts,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public async Task SendDueAsync(CancellationToken cancellationToken)
    {
        var waitedSince = time.NowMicros() - (long)options.Value.WaitNoticeAfter.TotalMicroseconds;
        foreach (var call in await calls.FindUnannouncedAsync(waitedSince, cancellationToken))
        {
            var dialog = await dialogs.FindAsync(call.DialogId, cancellationToken);
            var notice = dialog is { State: DialogStates.Bot }
                ? writer.Prepare(dialog, BotResponder.SystemMessage(texts.Get("agent.wait", dialog.Language)), call.MessageId)
                : null;
            var sent = await database.WriteAsync(async (c, t) =>
            {
                if (!await calls.MarkAnnouncedAsync(c, t, call.Id) || notice is null)
                    return null;
                return await writer.AppendAsync(c, t, notice);
            }, cancellationToken);
            if (sent is not null)
                await effects.PublishAsync(new CommittedEffects { Sent = [sent] }, cancellationToken);
        }
    }
}
