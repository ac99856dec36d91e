namespace BotEngine.Handoff;

/// <summary>
/// Guarded dialog transitions for operator actions and the system. Each returns the new dialog plus an event,
/// or an error the host maps to 400/403/404/409. Nothing is stored here.
/// </summary>
public sealed class DialogActions(TimeProvider time)
{
    private DateTimeOffset Now => time.GetUtcNow();

    public static ClientMessageRoute RouteClientMessage(Dialog dialog) => dialog.State switch
    {
        DialogState.Bot => ClientMessageRoute.Bot,
        DialogState.Queued => ClientMessageRoute.Queue,
        DialogState.Assigned or DialogState.Active => ClientMessageRoute.Operator,
        DialogState.Detached => ClientMessageRoute.Reattach,
        _ => ClientMessageRoute.NewBotDialog,
    };

    /// <summary>The bot (or a KB article, or the channel binding) hands the dialog to operators.</summary>
    public HandoffResult<DialogTransition> Escalate(Dialog dialog, RoutingRequirements requirements, string reason)
    {
        if (dialog.State != DialogState.Bot)
        {
            return StateError(dialog, "escalate");
        }

        return Enqueue(dialog, requirements, reason);
    }

    /// <summary>Applies one assignment from <see cref="Router"/>; a conflict means another node got there first.</summary>
    public HandoffResult<DialogTransition> Assign(Dialog dialog, Assignment assignment)
    {
        if (assignment.DialogId != dialog.Id)
        {
            return HandoffError.Validation("assign.mismatch", "The assignment is for another dialog.");
        }

        if (dialog.State != DialogState.Queued)
        {
            return StateError(dialog, "assign");
        }

        var now = Now;
        var next = Bump(dialog) with
        {
            State = DialogState.Assigned,
            OperatorId = assignment.OperatorId,
            LastOperatorId = assignment.OperatorId,
            AssignedAt = now,
            AcceptedAt = null,
        };
        return new DialogTransition(next, new DialogEvent.Assigned(dialog.Id, now, assignment.OperatorId, assignment.Reason, dialog.PendingNote));
    }

    public HandoffResult<DialogTransition> Accept(Dialog dialog, OperatorProfile op)
    {
        if (Owner(dialog, op) is { } error)
        {
            return error;
        }

        if (dialog.State != DialogState.Assigned)
        {
            return StateError(dialog, "accept");
        }

        var now = Now;
        var next = Bump(dialog) with { State = DialogState.Active, AcceptedAt = now, PendingNote = null };
        return new DialogTransition(next, new DialogEvent.Accepted(dialog.Id, now, op.Id, dialog.PendingNote));
    }

    /// <summary>An operator message; attachments need send_files / send_pics.</summary>
    public HandoffResult<DialogTransition> Reply(Dialog dialog, OperatorProfile op, OperatorReply reply)
    {
        if (Owner(dialog, op) is { } error)
        {
            return error;
        }

        if (dialog.State != DialogState.Active)
        {
            return dialog.State == DialogState.Assigned
                ? HandoffError.Conflict("dialog.not_accepted", "Accept the dialog before replying.")
                : StateError(dialog, "reply");
        }

        if (string.IsNullOrWhiteSpace(reply.Text) && reply.Attachments.Count == 0)
        {
            return HandoffError.Validation("reply.empty", "A reply needs text or an attachment.");
        }

        foreach (var kind in reply.Attachments.Distinct())
        {
            var needed = kind == AttachmentKind.Picture ? Permission.SendPics : Permission.SendFiles;
            var allowed = op.Require(needed);
            if (!allowed.IsSuccess)
            {
                return allowed.Error!;
            }
        }

        // A reply changes no ownership, so the version stays: concurrent replies must not conflict.
        return new DialogTransition(dialog, new DialogEvent.Replied(dialog.Id, Now, op.Id, reply));
    }

    /// <summary>
    /// Sends the dialog to another operator, a line, a skill group (all via the queue, so capacity is respected)
    /// or back to the bot. The note is shown to the receiver first. Needs view_reroute_btn.
    /// </summary>
    public HandoffResult<DialogTransition> Transfer(Dialog dialog, OperatorProfile op, TransferTarget target, string? note)
    {
        if (Owner(dialog, op) is { } error)
        {
            return error;
        }

        var allowed = op.Require(Permission.ViewRerouteBtn);
        if (!allowed.IsSuccess)
        {
            return allowed.Error!;
        }

        var now = Now;
        var transferNote = string.IsNullOrWhiteSpace(note) ? null : new TransferNote(op.Id, note.Trim(), now);
        var avoidMe = new HashSet<string>(StringComparer.Ordinal) { op.Id };
        var r = dialog.Requirements with { TargetOperator = null, PreferredOperators = [], AvoidOperators = avoidMe };
        RoutingRequirements requirements;
        switch (target)
        {
            case TransferTarget.ToOperator t when t.OperatorId == op.Id:
                return HandoffError.Validation("transfer.self", "Cannot transfer a dialog to yourself.");
            case TransferTarget.ToOperator t when string.IsNullOrWhiteSpace(t.OperatorId):
                return HandoffError.Validation("transfer.operator", "Target operator is required.");
            case TransferTarget.ToOperator t:
                requirements = r with { TargetOperator = t.OperatorId, AvoidOperators = new HashSet<string>(StringComparer.Ordinal), Overflow = null };
                break;
            case TransferTarget.ToLine l when string.IsNullOrWhiteSpace(l.Line):
                return HandoffError.Validation("transfer.line", "Target line is required.");
            case TransferTarget.ToLine l:
                requirements = r with { Line = l.Line, Overflow = null };
                break;
            case TransferTarget.ToSkills s when s.Skills.Count == 0:
                return HandoffError.Validation("transfer.skills", "At least one skill is required.");
            case TransferTarget.ToSkills s:
                requirements = r with { Skills = new HashSet<string>(s.Skills, StringComparer.Ordinal) };
                break;
            case TransferTarget.ToGroup g when string.IsNullOrWhiteSpace(g.Line) && string.IsNullOrWhiteSpace(g.Language) && g.Skills.Count == 0:
                return HandoffError.Validation("transfer.target", "Name a line, a language or skills to transfer to.");
            case TransferTarget.ToGroup g:
                requirements = r with
                {
                    Line = string.IsNullOrWhiteSpace(g.Line) ? r.Line : g.Line,
                    Overflow = string.IsNullOrWhiteSpace(g.Line) ? r.Overflow : null,
                    Language = string.IsNullOrWhiteSpace(g.Language) ? r.Language : g.Language,
                    Skills = g.Skills.Count == 0 ? r.Skills : new HashSet<string>(g.Skills, StringComparer.Ordinal),
                };
                break;
            case TransferTarget.ToBot:
                var toBot = Bump(dialog) with { State = DialogState.Bot, OperatorId = null, PendingNote = null, QueuedAt = null };
                return new DialogTransition(toBot, new DialogEvent.Transferred(dialog.Id, now, op.Id, target, transferNote));
            default:
                return HandoffError.Validation("transfer.target", "Unknown transfer target.");
        }

        var next = Bump(dialog) with
        {
            State = DialogState.Queued,
            OperatorId = null,
            Requirements = requirements,
            QueuedAt = now,
            PendingNote = transferNote,
        };
        return new DialogTransition(next, new DialogEvent.Transferred(dialog.Id, now, op.Id, target, transferNote));
    }

    /// <summary>
    /// Closes with a topic; operators with modify_user_dissatisfaction must say whether the client was dissatisfied,
    /// others must not set it.
    /// </summary>
    public HandoffResult<DialogTransition> Close(Dialog dialog, OperatorProfile op, string topic, bool? clientDissatisfied)
    {
        if (Owner(dialog, op) is { } error)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(topic))
        {
            return HandoffError.Validation("close.topic_required", "A topic is required to close a dialog.");
        }

        if (op.Has(Permission.ModifyUserDissatisfaction) && clientDissatisfied is null)
        {
            return HandoffError.Validation("close.dissatisfaction_required", "Say whether the client was dissatisfied.");
        }

        if (!op.Has(Permission.ModifyUserDissatisfaction) && clientDissatisfied is not null)
        {
            return HandoffError.Forbidden("permission.denied", $"Operator '{op.Id}' lacks permission 'modify_user_dissatisfaction'.");
        }

        return CloseCore(dialog, new ClosingInfo(CloseReason.Operator, topic.Trim(), clientDissatisfied, op.Id, Now));
    }

    /// <summary>A system close (client timeout, idle, supervisor); idempotent callers should check the state first.</summary>
    public HandoffResult<DialogTransition> CloseBySystem(Dialog dialog, CloseReason reason, string? closedBy = null)
    {
        if (dialog.State == DialogState.Closed)
        {
            return StateError(dialog, "close");
        }

        return CloseCore(dialog, new ClosingInfo(reason, null, null, closedBy, Now));
    }

    /// <summary>
    /// Puts an offered or active dialog back in the queue. After an operator timeout that operator is avoided;
    /// the dialog keeps its original waiting time so it is not pushed to the back.
    /// </summary>
    public HandoffResult<DialogTransition> Requeue(Dialog dialog, RequeueReason reason)
    {
        if (dialog.State is not (DialogState.Assigned or DialogState.Active))
        {
            return StateError(dialog, "requeue");
        }

        var now = Now;
        var from = dialog.OperatorId;
        var r = dialog.Requirements with { TargetOperator = null };
        if (reason == RequeueReason.OperatorTimeout && from is not null)
        {
            r = r with
            {
                AvoidOperators = new HashSet<string>(r.AvoidOperators, StringComparer.Ordinal) { from },
                PreferredOperators = r.PreferredOperators.Where(p => p != from).ToArray(),
            };
        }

        var next = Bump(dialog) with
        {
            State = DialogState.Queued,
            OperatorId = null,
            Requirements = r,
            QueuedAt = dialog.QueuedAt ?? now,
        };
        return new DialogTransition(next, new DialogEvent.Requeued(dialog.Id, now, from, reason));
    }

    /// <summary>Client timeout (a): the operator is released; the dialog waits for the client's next message.</summary>
    public HandoffResult<DialogTransition> Detach(Dialog dialog)
    {
        if (dialog.State is not (DialogState.Assigned or DialogState.Active))
        {
            return StateError(dialog, "detach");
        }

        var next = Bump(dialog) with { State = DialogState.Detached, OperatorId = null, LastOperatorId = dialog.OperatorId };
        return new DialogTransition(next, new DialogEvent.Detached(dialog.Id, Now, dialog.OperatorId));
    }

    /// <summary>The client wrote after a detach: back to the queue with the same operator preferred first.</summary>
    public HandoffResult<DialogTransition> Reattach(Dialog dialog)
    {
        if (dialog.State != DialogState.Detached)
        {
            return StateError(dialog, "reattach");
        }

        var last = dialog.LastOperatorId;
        var preferred = last is null ? dialog.Requirements.PreferredOperators : [last, .. dialog.Requirements.PreferredOperators.Where(p => p != last)];
        var requirements = dialog.Requirements with { PreferredOperators = preferred, TargetOperator = null };
        var now = Now;
        var next = Bump(dialog) with { State = DialogState.Queued, Requirements = requirements, QueuedAt = now };
        return new DialogTransition(next, new DialogEvent.Reattached(dialog.Id, now, last));
    }

    private HandoffResult<DialogTransition> Enqueue(Dialog dialog, RoutingRequirements requirements, string reason)
    {
        var now = Now;
        var next = Bump(dialog) with { State = DialogState.Queued, OperatorId = null, Requirements = requirements, QueuedAt = now };
        return new DialogTransition(next, new DialogEvent.Queued(dialog.Id, now, reason));
    }

    private static DialogTransition CloseCore(Dialog dialog, ClosingInfo info)
    {
        var next = Bump(dialog) with { State = DialogState.Closed, OperatorId = null, Closing = info, PendingNote = null };
        return new DialogTransition(next, new DialogEvent.Closed(dialog.Id, info.At, info));
    }

    private static Dialog Bump(Dialog d) => d with { Version = d.Version + 1 };

    // State first: acting on a dialog that moved on is a conflict (409), not a permission problem.
    private static HandoffError? Owner(Dialog dialog, OperatorProfile op) =>
        dialog.State is not (DialogState.Assigned or DialogState.Active)
            ? HandoffError.Conflict("dialog.state", $"Dialog '{dialog.Id}' is {dialog.State}, not with an operator.")
            : dialog.OperatorId == op.Id
                ? null
                : HandoffError.Forbidden("dialog.not_owner", $"Dialog '{dialog.Id}' is not held by operator '{op.Id}'.");

    private static HandoffError StateError(Dialog dialog, string action) =>
        HandoffError.Conflict("dialog.state", $"Cannot {action} dialog '{dialog.Id}' in state {dialog.State}.");
}
