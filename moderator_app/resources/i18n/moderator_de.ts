<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>CheatSheet</name>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="150"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="175"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DecisionBar</name>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="165"/>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="187"/>
        <source>Explanation for the trader (statement of reasons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="192"/>
        <source>Confirm  ⏎</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="202"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="203"/>
        <source>Ground</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="307"/>
        <source>an action (N, R, V, W or E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="361"/>
        <source>Choose an action: N no violation · R remove · V restrict · W warn · E escalate · S skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="368"/>
        <source>Still needed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/decision_bar.py" line="372"/>
        <source>%1 — Enter to confirm · C category · G ground · X edit explanation · Esc cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DecisionModel</name>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="174"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="174"/>
        <source>Listing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="174"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="174"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="184"/>
        <source>(undone)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FlagCardDelegate</name>
    <message>
        <location filename="../../moderator_app/ui/flags_panel.py" line="115"/>
        <source>anonymous</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FlagModel</name>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="140"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="141"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="142"/>
        <source>Explanation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="143"/>
        <source>Notifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="144"/>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="158"/>
        <source>anonymous</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FlagsPanel</name>
    <message>
        <location filename="../../moderator_app/ui/flags_panel.py" line="151"/>
        <source>★ Trusted flagger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/flags_panel.py" line="152"/>
        <source>★ Authority order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/flags_panel.py" line="156"/>
        <source>Flags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/flags_panel.py" line="173"/>
        <source>1 flag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/flags_panel.py" line="173"/>
        <source>%1 flags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImagePane</name>
    <message>
        <location filename="../../moderator_app/ui/image_view.py" line="66"/>
        <source>This image cannot be shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/image_view.py" line="71"/>
        <source>Loading image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/image_view.py" line="72"/>
        <source>This listing has no images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/image_view.py" line="144"/>
        <source>No images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/image_view.py" line="268"/>
        <source>Image %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/image_view.py" line="278"/>
        <source>fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/image_view.py" line="281"/>
        <source>blurred: B to show</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListingView</name>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="78"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="79"/>
        <source>EAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="80"/>
        <source>Online since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="81"/>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="102"/>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="118"/>
        <source>no price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="149"/>
        <source>link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="150"/>
        <source>e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="151"/>
        <source>phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="152"/>
        <source>messenger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="155"/>
        <source>Contact details in text: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="166"/>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="167"/>
        <source>Removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/listing_view.py" line="168"/>
        <source>Restricted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="68"/>
        <source>Moderator Workstation — Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="88"/>
        <source>Ctrl+1 … Ctrl+9 open a queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="90"/>
        <source>Queues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="113"/>
        <source>Loading the next item…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="114"/>
        <location filename="../../moderator_app/ui/main_window.py" line="274"/>
        <source>The queue is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="117"/>
        <source>Choose a queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="117"/>
        <source>Pick a queue on the left, or press Ctrl+1 … Ctrl+9.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="185"/>
        <source>Not yet: the decision still needs %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/main_window.py" line="277"/>
        <source>Nothing is waiting in %1 right now. New items show up here by themselves; or open another queue (Ctrl+1 … Ctrl+9).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="98"/>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="98"/>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewSession</name>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="18"/>
        <source>Could not refresh the queue counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="22"/>
        <source>Could not give the skipped item back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="26"/>
        <source>Skipped %1: it goes back to the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="30"/>
        <source>There is no decision to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="35"/>
        <source>The last decision is older than %1 minutes and can no longer be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="43"/>
        <source>that decision was not recorded, so there is nothing to undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="49"/>
        <source>Could not load the next item (retrying in a few seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="55"/>
        <source>Could not renew the claims on your items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="60"/>
        <source>%1 was taken over by someone else while it waited; moving on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="68"/>
        <source>Could not give claimed items back (their claims will lapse)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="75"/>
        <source>%1: %2 — Ctrl+Z to undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="83"/>
        <source>Your decision on %1 was not recorded: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="107"/>
        <source>an unexpected error (a bug; see the log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="89"/>
        <source>Your decision on %1 was not saved: %2. It is back on screen: press Enter to try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="99"/>
        <source>Decision undone: %1 is back on screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/session_text.py" line="103"/>
        <source>The decision could not be undone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="31"/>
        <source>Decide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="32"/>
        <location filename="../../moderator_app/ui/shortcuts.py" line="137"/>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="33"/>
        <source>Queues and help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="36"/>
        <source>No violation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="37"/>
        <source>Remove listing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="38"/>
        <source>Restrict visibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="39"/>
        <source>Warn trader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="40"/>
        <source>Escalate to supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="45"/>
        <source>Skip (back to the queue, nothing recorded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="51"/>
        <source>Confirm the chosen action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="57"/>
        <source>Cancel the chosen action / leave a field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="60"/>
        <source>Choose the policy category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="66"/>
        <source>Switch the ground (illegal content / terms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="72"/>
        <source>Edit the explanation (Enter confirms, Shift+Enter new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="80"/>
        <source>Undo the last decision (for %1 minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="84"/>
        <source>Next image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="86"/>
        <source>Previous image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="89"/>
        <source>Zoom in (or mouse wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="91"/>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="92"/>
        <source>Fit the image to the view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="97"/>
        <source>Pan (Shift+arrows, or drag)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="102"/>
        <source>Blur / unblur the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="107"/>
        <source>Focus the description (arrows scroll it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="113"/>
        <source>Open queue 1 … 9 (Ctrl+1 … Ctrl+9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="115"/>
        <source>Refresh the queue counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="117"/>
        <source>This cheat sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/shortcuts.py" line="122"/>
        <source>Close the window (claimed items go back)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../moderator_app/ui/status.py" line="20"/>
        <source>Reviewer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/status.py" line="32"/>
        <source>Item %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/status.py" line="37"/>
        <source>No items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/status.py" line="39"/>
        <source>Reviewed this session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/status.py" line="44"/>
        <source>Rate: —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/status.py" line="47"/>
        <source>Rate: %1 per hour</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThumbModel</name>
    <message>
        <location filename="../../moderator_app/ui/models.py" line="251"/>
        <source>%1 · unreadable</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TraderPanel</name>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="41"/>
        <source>REPEAT OFFENDER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="46"/>
        <source>violations
90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="47"/>
        <source>violations
all time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="48"/>
        <source>warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="52"/>
        <source>Traceability (Art 30 DSA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="59"/>
        <source>Legal name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="60"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="61"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="62"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="63"/>
        <source>Trade register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="64"/>
        <source>Country</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="82"/>
        <source>No earlier decisions on this trader.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="100"/>
        <source>Trader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="119"/>
        <source>Last decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="129"/>
        <source>%n listing(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="151"/>
        <source>Last violation %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="155"/>
        <source>No violation on record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="169"/>
        <source>missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="175"/>
        <source>private seller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="180"/>
        <source>%1 missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/trader_panel.py" line="185"/>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="26"/>
        <location filename="../../moderator_app/ui/labels.py" line="102"/>
        <source>Counterfeit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="27"/>
        <source>Unsafe toy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="28"/>
        <source>Unsafe electrical product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="29"/>
        <source>Illegal medicine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="30"/>
        <source>Unapproved supplement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="31"/>
        <source>Hidden link / off-platform contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="34"/>
        <source>Adult content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="35"/>
        <source>Prohibited item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="36"/>
        <source>Misleading information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="37"/>
        <source>Trader traceability (Art 30)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="40"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="46"/>
        <location filename="../../moderator_app/ui/labels.py" line="57"/>
        <source>No violation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="47"/>
        <source>Remove listing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="48"/>
        <source>Restrict visibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="49"/>
        <source>Warn trader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="50"/>
        <source>Escalate to supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="58"/>
        <source>Removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="59"/>
        <source>Restricted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="60"/>
        <location filename="../../moderator_app/ui/labels.py" line="85"/>
        <source>Warned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="61"/>
        <location filename="../../moderator_app/ui/labels.py" line="106"/>
        <source>Escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="67"/>
        <source>User notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="68"/>
        <source>Trusted flagger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="69"/>
        <source>Automated detection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="70"/>
        <source>Authority order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="71"/>
        <source>Own initiative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="77"/>
        <source>Illegal content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="78"/>
        <source>Terms of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="84"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="86"/>
        <source>Suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="87"/>
        <source>Terminated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="93"/>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="94"/>
        <source>Private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="100"/>
        <source>Product safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="101"/>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="103"/>
        <source>Hidden links</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="104"/>
        <source>Adult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../moderator_app/ui/labels.py" line="105"/>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
