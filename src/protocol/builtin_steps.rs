// @generated from steps/rupture-repair.toml by src/protocol/rust_form.rs.
// Do not edit: change the TOML file, then run
//     REPAIR_REGENERATE=1 cargo test --lib builtin_steps
// (the test fails while this file and the TOML file differ).

use super::*;

/// The built-in protocol's steps, checked when this file was made.
pub fn protocol() -> Protocol {
    Protocol {
        format: 2,
        id: String::from("rupture-repair"),
        title: String::from("Rupture and Repair"),
        summary: Some(String::from("Rupture is part of most real relationships. Repair is optional: let's do repair, every time.\nThe fear of rupture can keep us from trying new things with the people we serve. We don't want to hurt, upset or re-traumatize anyone. Remembering that rupture will happen, and that repair is ours to offer, makes it easier to try.\nIn homes and places marked by trauma, repair is often missing: the hurt happens, and it goes unacknowledged and unexplored, with no reconnection. In our work, we get to do that repair, and it is so restorative for the relationship.\nSix steps, practised one at a time. This month's step is the internal scan.")),
        source: Some(String::from("The six steps come from a clinical supervision handout, \"Rupture and Repair\" (February 2026).\nWithdrawal and confrontation ruptures, and how each tends to resolve: Safran & Muran (2000), Negotiating the Therapeutic Alliance. The marker list follows the Rupture Resolution Rating System (3RS; Eubanks, Muran & Safran).\nRepair and outcome: in a meta-analysis (Eubanks, Muran & Safran, 2018, Psychotherapy 55(4)), rupture repair was associated with better outcome (r = .29). That is a correlation, not proof that repair causes the change. In the same meta-analysis, rupture-resolution training or supervision was not significantly associated with outcome: practice is worth doing, and no tool or training promises results.\nThe scan before a session is modelled on a brief centering exercise from one small study (Dunn, Callahan, Swift & Ivanovic, 2013); it is not the same exercise.\nRehearsal follows the deliberate-practice approach of the APA Essentials of Deliberate Practice books. The rehearsal cards are invented for practice, not taken from any client.\nA practice aid, not a substitute for supervision.")),
        focus: Some(String::from("scan")),
        steps: vec![
            Step {
                id: String::from("scan"),
                title: String::from("Pause and scan inward"),
                guidance: String::from("Something just went wrong. If you need to, pause here before you speak.\nJust slow down, and feel what is happening in you, even if it is painful.\nYou are not fixing anything yet, in you or in them. Notice, and stay.\nWanting to hide is common. If you feel it too, you are not alone in it.\nYour nervous system speaks louder than you do.\nNothing needs saying yet. If words come, the stems are only suggestions."),
                prompts: vec![
                    String::from("What do I notice in my body right now?"),
                    String::from("What am I feeling: shame, worry, defensiveness, sadness, something else?"),
                    String::from("What do I feel pulled to do: explain, fix, hurry on, go quiet?"),
                    String::from("Can I stay with this a moment longer before I speak?"),
                ],
                stems: vec![
                    String::from("Can we slow down for a moment?"),
                    String::from("I want to pause here."),
                    String::from("Give me a moment. I want to take in what you just said."),
                ],
                follow_up: false,
                pause: Some(Pause {
                    seconds: 90,
                    cues: vec![
                        String::from("Let your feet find the floor."),
                        String::from("Notice your breath, without changing it."),
                        String::from("Scan from your jaw to your shoulders to your belly."),
                        String::from("Name what you feel, quietly, to yourself, even if it is painful."),
                        String::from("If you want to hide, notice that too. You are not alone in it."),
                        String::from("Stay with it. Your words can wait."),
                    ],
                    breath: None,
                    pacer: Some(Breath { inhale: 4, exhale: 6 }),
                }),
                criteria: vec![
                    Criterion { id: String::from("pause"), text: String::from("Pauses before answering, instead of explaining or moving on.") },
                    Criterion { id: String::from("body"), text: String::from("Notices one thing in their body or feelings, even if it is painful, and can name it.") },
                    Criterion { id: String::from("pull"), text: String::from("Notices what they feel pulled to do (explain, fix, hurry on, go quiet), and can name it.") },
                ],
                observable: false,
            },
            Step {
                id: String::from("reflect"),
                title: String::from("Reflect tentatively, and check"),
                guidance: String::from("Tentatively say what you make of their experience: a guess, not a verdict.\nThen ask whether you are tracking them correctly, and be ready to be wrong.\nListen to their answer more than to your own idea."),
                prompts: vec![
                    String::from("What do I imagine that was like for them?"),
                    String::from("Am I guessing, and can I say it as a guess?"),
                    String::from("How will I know if I have got it wrong?"),
                ],
                stems: vec![
                    String::from("I wonder if what I just said felt..."),
                    String::from("It sounds like that landed as... Am I getting that right?"),
                    String::from("Let me check I'm following you. It seems like..."),
                    String::from("I might be off here, so tell me if I am."),
                ],
                follow_up: false,
                pause: None,
                criteria: vec![
                    Criterion { id: String::from("guess"), text: String::from("Names what the client may be feeling, tentatively, as a guess (\"I wonder if...\").") },
                    Criterion { id: String::from("check"), text: String::from("Asks whether the guess fits (\"Am I close?\").") },
                    Criterion { id: String::from("room"), text: String::from("Ends on that question and stops, leaving room for the answer.") },
                ],
                observable: true,
            },
            Step {
                id: String::from("validate"),
                title: String::from("Validate"),
                guidance: String::from("Let them know their reaction makes sense, and say why: because of A, B and C.\nThe reasons are the point. Start with this moment and your own part in it,\nthen add what else you know. Reasons from their history alone can sound like\n\"it's your pattern\", and that can hurt again.\nYou are not defending yourself, and you are not agreeing to everything.\nYou are saying their experience is understandable, and why."),
                prompts: vec![
                    String::from("What are three reasons their reaction makes sense? Start with this moment and my own part."),
                    String::from("What did I say, do or miss just now that helps explain it?"),
                    String::from("Where do I feel an urge to justify myself, and can I set it down for now?"),
                ],
                stems: vec![
                    String::from("That makes sense, because... and because..."),
                    String::from("Of course you felt that, given what I just said, and given..."),
                    String::from("It makes sense that you'd pull back after that, because..."),
                    String::from("I can see why that hurt. I..., and..."),
                ],
                follow_up: false,
                pause: None,
                criteria: vec![
                    Criterion { id: String::from("reasons"), text: String::from("Says the reaction makes sense, and gives two or more reasons (\"because..., and because...\").") },
                    Criterion { id: String::from("here-first"), text: String::from("Starts the reasons with this moment or with what the therapist did, not with the client's history.") },
                    Criterion { id: String::from("no-defence"), text: String::from("Does not defend or explain what the therapist did.") },
                ],
                observable: true,
            },
            Step {
                id: String::from("mend"),
                title: String::from("Make it better"),
                guidance: String::from("Find some way to make it up to them, if you can, within the frame of therapy.\nThat might be owning your part plainly, changing what you do next,\nor giving them more say in how the session goes.\nOwn what you did: \"I'm sorry that I...\". Avoid the non-apology\n\"I'm sorry you felt...\", which hands the problem back to them.\nBefore offering anything outside your usual frame, pause and take it to\nsupervision.\nKeep it simple and real. Only offer what you can keep."),
                prompts: vec![
                    String::from("What was my part in this?"),
                    String::from("What could I do differently, now or next time?"),
                    String::from("What might they need from me to feel safe again?"),
                    String::from("Is what I want to offer within the frame? If I am not sure, whom can I ask?"),
                ],
                stems: vec![
                    String::from("I'm sorry that I..."),
                    String::from("You're right, I did... and I'd like to do it differently."),
                    String::from("Would it help if we...?"),
                    String::from("How would you like us to go on from here?"),
                ],
                follow_up: false,
                pause: None,
                criteria: vec![
                    Criterion { id: String::from("owns"), text: String::from("Names the therapist's own part in plain words (\"I...\"), not \"I'm sorry you felt\".") },
                    Criterion { id: String::from("change"), text: String::from("Offers one concrete change the therapist can keep, within the frame.") },
                    Criterion { id: String::from("asks"), text: String::from("Asks what would help, or how the client would like to go on.") },
                ],
                observable: true,
            },
            Step {
                id: String::from("ask-later"),
                title: String::from("Later, ask what it was like"),
                guidance: String::from("When all is said and done and things feel safe again, come back to it. Strike when the iron is cold.\nAsk what the rupture and the repair were like for them. Listen without correcting.\nThis step often belongs to a later session. Leave its notes empty to keep it open as a follow-up."),
                prompts: vec![
                    String::from("Does it feel safe enough now to return to it?"),
                    String::from("When could I come back to this: later today, or next time?"),
                    String::from("What do I hope to learn from their answer?"),
                ],
                stems: vec![
                    String::from("I've been thinking about what happened between us last time."),
                    String::from("What was that like for you, when things went sideways between us?"),
                    String::from("How was it for you when we talked it through?"),
                    String::from("Is there anything you didn't get to say about it?"),
                ],
                follow_up: true,
                pause: None,
                criteria: vec![
                    Criterion { id: String::from("calm"), text: String::from("Returns to it once things are calm, often in a later session.") },
                    Criterion { id: String::from("open"), text: String::from("Asks an open question about what the rupture and the repair were like for the client.") },
                    Criterion { id: String::from("listens"), text: String::from("Leaves room for the answer, without correcting or defending.") },
                ],
                observable: false,
            },
            Step {
                id: String::from("enjoy"),
                title: String::from("Enjoy the stronger relationship"),
                guidance: String::from("A repaired relationship is often stronger, more honest and more real.\nNotice what has changed between you, and enjoy the person in front of you.\nRupture happened; repair is what you chose.\nSometimes a repair does not land, or the client does not come back.\nIt was still worth offering, and the follow-up is still worth doing.\nTake it to supervision: you do not have to carry it alone."),
                prompts: vec![
                    String::from("What feels different between us now?"),
                    String::from("What did this repair teach me about this person, or about myself?"),
                    String::from("What will I take into the next rupture?"),
                    String::from("If it did not land, what do I want to bring to supervision?"),
                ],
                stems: vec![
                    String::from("I'm glad we could talk about that."),
                    String::from("Thank you for telling me. It helps me understand you better."),
                ],
                follow_up: false,
                pause: None,
                criteria: vec![
                    Criterion { id: String::from("different"), text: String::from("Names something that is different between them now.") },
                    Criterion { id: String::from("thanks"), text: String::from("Thanks the client for staying with it, warmly and briefly.") },
                    Criterion { id: String::from("door"), text: String::from("If the repair did not land, keeps the door open.") },
                ],
                observable: false,
            },
        ],
        scenarios: Vec::new(),
        resolution: vec![
            (ScenarioKind::Withdrawal, String::from("The client is moving away. Invite the negative feeling that is being held back, and welcome it when it comes, even when it is about you. Help them put into words what they want, and take their wish seriously.")),
            (ScenarioKind::Confrontation, String::from("The client is moving against. Step out of the cycle: neither counter-attack nor give in. Own your part in what happened. Then, together, explore what hurt, and what they needed.")),
        ],
        resources: vec![
            Resource { title: String::from("This month's practice videos"), location: String::from("Linked in the February 2026 supervision handout; ask your supervisor"), note: Some(String::from("The group will use them to practise the internal scan together.")) },
            Resource { title: String::from("Negotiating the Therapeutic Alliance: A Relational Treatment Guide"), location: String::from("Safran, J. D., & Muran, J. C. (2000). New York: Guilford Press."), note: Some(String::from("Withdrawal and confrontation ruptures, and how each tends to resolve.")) },
            Resource { title: String::from("Rupture Resolution Rating System (3RS)"), location: String::from("Eubanks, C. F., Muran, J. C., & Safran, J. D. (2015), the 3RS manual; and Eubanks, C. F., Lubitz, J., Muran, J. C., & Safran, J. D. (2019), Rupture Resolution Rating System (3RS): Development and validation. Psychotherapy Research, 29(3), 306-319."), note: Some(String::from("The withdrawal and confrontation marker types behind the deck's marker list.")) },
            Resource { title: String::from("Alliance rupture repair: A meta-analysis"), location: String::from("Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018). Psychotherapy, 55(4), 508-519."), note: Some(String::from("Across 11 studies, rupture repair was associated with better outcome (r = .29); a correlation. Across 6 studies, rupture-resolution training or supervision was not significantly associated with outcome.")) },
            Resource { title: String::from("Effects of pre-session centering for therapists on session presence and effectiveness"), location: String::from("Dunn, R., Callahan, J. L., Swift, J. K., & Ivanovic, M. (2013). Psychotherapy Research, 23(1), 78-85."), note: Some(String::from("One small study of a brief centering exercise before sessions. Therapists rated themselves more present, and clients rated those sessions as more effective; clients did not rate the therapists' presence differently. This tool's scan is modelled on it, not the same exercise.")) },
            Resource { title: String::from("Essentials of Deliberate Practice (book series)"), location: String::from("American Psychological Association; series editors Alexandre Vaz and Tony Rousmaniere."), note: Some(String::from("Graded client statements, brief responses out loud, feedback against explicit criteria, and self-rated difficulty: the model for `repair rehearse`.")) },
        ],
    }
}
