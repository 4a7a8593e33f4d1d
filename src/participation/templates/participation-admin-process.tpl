{{%AUTOESCAPE context="HTML"}}<p><a href="{{LIST_HREF}}">{{t_participation__admin__back}}</a> · <a href="{{PUBLIC_HREF}}">{{t_participation__admin__public}}</a></p>
<h1>{{TITLE}}</h1>
<p>{{t_participation__admin__threshold_is}} {{THRESHOLD}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_ALERT}}<div class="notice" role="alert"><p>{{NOTICE}}</p></div>
{{/HAS_ALERT}}<h2>{{t_participation__admin__proposals}}</h2>
{{#NO_PROPOSALS}}<p>{{t_participation__no_proposals}}</p>
{{/NO_PROPOSALS}}<ul class="history">
{{#PROPOSAL}}<li><h3><a href="{{HREF}}" dir="auto">{{TITLE}}</a></h3>
<p>{{t_participation__admin__supports}}: {{SUPPORTS}}{{#OWED}} · {{t_participation__admin__due}} {{DUE}}{{/OWED}}{{#OVERDUE}} · <strong>{{t_participation__admin__overdue}}</strong>{{/OVERDUE}}</p>
{{#ANSWERED}}<p><strong>{{t_participation__admin__answer}}:</strong></p><p class="user-text" dir="auto">{{ANSWER}}</p>{{/ANSWERED}}
{{#ANSWER_FORM}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="answer-{{TOKEN}}">{{t_participation__admin__answer_label}} <span dir="auto">{{TITLE}}</span></label>
<textarea id="answer-{{TOKEN}}" name="answer" rows="3" required></textarea></div>
<button type="submit" class="button">{{t_participation__admin__answer_submit}}</button></form>{{/ANSWER_FORM}}</li>
{{/PROPOSAL}}</ul>
<h2>{{t_participation__moderation__queue}}</h2>
{{#NO_MODERATION}}<p>{{t_participation__moderation__queue_empty}}</p>
{{/NO_MODERATION}}<ul class="history">
{{#MOD_ITEM}}<li id="mod-{{KIND}}-{{ID}}"><h3>{{KIND_LABEL}}: <a href="{{HREF}}" dir="auto">{{TITLE}}</a></h3>
<p>{{t_participation__by}} {{AUTHOR}} · {{REPORTS}}{{#REVIEWING}} · <strong>{{t_participation__moderation__review_asked}}</strong>{{/REVIEWING}}</p>
<p class="user-text" dir="auto">{{TEXT}}</p>
<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="kind" value="{{KIND}}"><input type="hidden" name="id" value="{{ID}}">
<div class="field"><label for="decision-{{KIND}}-{{ID}}">{{t_participation__moderation__decision}}</label><select id="decision-{{KIND}}-{{ID}}" name="decision"><option value="keep">{{t_participation__moderation__keep}}</option><option value="remove">{{t_participation__moderation__remove}}</option></select></div>
<div class="field"><label for="mreason-{{KIND}}-{{ID}}">{{t_participation__moderation__decision_reason}}</label><textarea id="mreason-{{KIND}}-{{ID}}" name="reason" rows="2" required></textarea></div>
<button type="submit" class="button">{{t_participation__moderation__decide}}</button></form></li>
{{/MOD_ITEM}}</ul>
<form method="post" action="{{THRESHOLD_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="report_threshold">{{t_participation__moderation__threshold_label}}</label><input type="number" id="report_threshold" name="report_threshold" min="1" max="1000" value="{{REPORT_THRESHOLD}}" inputmode="numeric" dir="ltr" required></div>
<button type="submit" class="button">{{t_participation__moderation__threshold_submit}}</button></form>
<h2>{{t_participation__votes}}</h2>
{{#NO_VOTES}}<p>{{t_participation__admin__no_votes}}</p>
{{/NO_VOTES}}<ul class="history">
{{#VOTE}}<li><a href="{{HREF}}">{{TITLE}}</a> · {{t_participation__admin__code}} <code dir="ltr">{{CODE}}</code> · {{TURNOUT}}
{{#PUBLISH}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button">{{t_participation__admin__publish}}<span class="visually-hidden"> {{TITLE}}</span></button></form>{{/PUBLISH}}{{#IS_PUBLISHED}} · {{t_participation__vote__results}}{{/IS_PUBLISHED}}</li>
{{/VOTE}}</ul>
<h3>{{t_participation__admin__new_vote}}</h3>
<form method="post" action="{{VOTE_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="vote_title_ar">{{t_participation__admin__title_ar}}</label><input type="text" id="vote_title_ar" name="vote_title_ar" required></div>
<div class="field"><label for="vote_title_en">{{t_participation__admin__title_en}}</label><input type="text" id="vote_title_en" name="vote_title_en" required></div>
<div class="field"><label for="rule">{{t_participation__admin__rule}}</label><select id="rule" name="rule"><option value="budget">{{t_participation__admin__rule_budget}}</option><option value="approve">{{t_participation__admin__rule_approve}}</option></select></div>
<div class="field"><label for="budget">{{t_participation__admin__budget}}</label><input type="text" id="budget" name="budget" inputmode="decimal" dir="ltr"></div>
<div class="field"><label for="max_choices">{{t_participation__admin__max_choices}}</label><input type="text" id="max_choices" name="max_choices" inputmode="numeric" dir="ltr"></div>
<div class="field"><label for="options">{{t_participation__admin__options}}</label><p class="hint" id="options-hint">{{t_participation__admin__options_hint}}</p><textarea id="options" name="options" rows="5" aria-describedby="options-hint" required></textarea></div>
<button type="submit" class="button">{{t_participation__admin__vote_submit}}</button></form>
<h2>{{t_participation__meeting__title}}</h2>
{{#NO_MEETINGS}}<p>{{t_participation__meeting__none}}</p>
{{/NO_MEETINGS}}<ul class="history">
{{#MEETING}}<li><a href="{{HREF}}" dir="auto">{{TITLE}}</a> · <time datetime="{{ISO}}">{{WHEN}}</time> · {{SEATS}}</li>
{{/MEETING}}</ul>
<h3>{{t_participation__meeting__new}}</h3>
<form method="post" action="{{MEETING_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="meeting_kind">{{t_participation__meeting__kind_label}}</label><select id="meeting_kind" name="kind"><option value="workshop">{{t_participation__meeting__kind__workshop}}</option><option value="meeting">{{t_participation__meeting__kind__meeting}}</option></select></div>
<div class="field"><label for="meeting_title">{{t_participation__rec__title_label}}</label><input type="text" id="meeting_title" name="title" required></div>
<div class="field"><label for="meeting_agenda">{{t_participation__meeting__agenda}}</label><textarea id="meeting_agenda" name="agenda" rows="4" required></textarea></div>
<div class="field"><label for="meeting_place">{{t_participation__meeting__place}}</label><input type="text" id="meeting_place" name="place"></div>
<div class="field"><label for="meeting_url">{{t_participation__meeting__online}}</label><p class="hint" id="meeting_url-hint">{{t_participation__meeting__where_hint}}</p><input type="url" id="meeting_url" name="online_url" dir="ltr" aria-describedby="meeting_url-hint"></div>
<div class="field"><label for="meeting_day">{{t_participation__meeting__day}}</label><input type="date" id="meeting_day" name="day" dir="ltr" required></div>
<div class="field"><label for="meeting_from">{{t_participation__meeting__from}}</label><input type="time" id="meeting_from" name="from" dir="ltr" required></div>
<div class="field"><label for="meeting_to">{{t_participation__meeting__to}}</label><input type="time" id="meeting_to" name="to" dir="ltr" required></div>
<div class="field"><label for="meeting_capacity">{{t_participation__meeting__capacity}}</label><input type="number" id="meeting_capacity" name="capacity" min="1" inputmode="numeric" dir="ltr" required></div>
<button type="submit" class="button">{{t_participation__meeting__create_submit}}</button></form>
<h2>{{t_participation__rec__title}}</h2>
{{#NO_RECS}}<p>{{t_participation__rec__none}}</p>
{{/NO_RECS}}<ul class="history">
{{#REC}}<li id="rec-{{TOKEN}}"><h3 dir="auto">{{TITLE}}</h3>
<p>{{SOURCE}} (<span dir="auto">{{SOURCE_REF}}</span>) · {{t_participation__rec__state_label}} <strong>{{STATE}}</strong>{{#REC_OVERDUE}} · <strong>{{t_participation__rec__overdue_flag}}</strong>{{/REC_OVERDUE}}</p>
{{#RESPONSE}}<p><strong>{{RESPONSE}}</strong> ({{DATE}}){{#HAS_DEPARTMENT}} · {{DEPARTMENT}}{{/HAS_DEPARTMENT}}</p><p class="user-text" dir="auto">{{REASONS}}</p>{{/RESPONSE}}
{{#MILESTONE}}<p><span dir="auto">{{M_TITLE}}</span> · {{t_participation__rec__due}} {{M_DUE}} · {{M_PROGRESS}}٪{{#M_OVERDUE}} · <strong>{{t_participation__rec__overdue}}</strong>{{/M_OVERDUE}}</p>
{{/MILESTONE}}<form method="post" action="{{ACTION}}/respond"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="response-{{TOKEN}}">{{t_participation__rec__response_label}}</label><select id="response-{{TOKEN}}" name="response"><option value="accepted">{{t_participation__rec__response__accepted}}</option><option value="partly">{{t_participation__rec__response__partly}}</option><option value="rejected">{{t_participation__rec__response__rejected}}</option></select></div>
<div class="field"><label for="department-{{TOKEN}}">{{t_participation__rec__department}}</label><select id="department-{{TOKEN}}" name="department"><option value="">{{t_participation__rec__no_department}}</option>{{#DEPT_OPTION}}<option value="{{DEPT_ID}}"{{#DEPT_SELECTED}} selected{{/DEPT_SELECTED}}>{{DEPT_NAME}}</option>{{/DEPT_OPTION}}</select></div>
<div class="field"><label for="reasons-{{TOKEN}}">{{t_participation__rec__reasons}}</label><textarea id="reasons-{{TOKEN}}" name="reasons" rows="3" required></textarea></div>
<button type="submit" class="button">{{t_participation__rec__respond_submit}}</button></form>
{{#CAN_MILESTONE}}<form method="post" action="{{ACTION}}/milestones"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="mtitle-{{TOKEN}}">{{t_participation__rec__milestone_title}}</label><input type="text" id="mtitle-{{TOKEN}}" name="title" required></div>
<div class="field"><label for="mdue-{{TOKEN}}">{{t_participation__rec__milestone_due}}</label><input type="date" id="mdue-{{TOKEN}}" name="due" dir="ltr" required></div>
<button type="submit" class="button">{{t_participation__rec__milestone_submit}}</button></form>{{/CAN_MILESTONE}}
{{#PROGRESS_FORM}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="progress-{{M_ID}}">{{t_participation__rec__progress_of}} <span dir="auto">{{M_TITLE}}</span></label><input type="number" id="progress-{{M_ID}}" name="progress" min="0" max="100" value="{{M_PERCENT}}" inputmode="numeric" dir="ltr" required></div>
<button type="submit" class="button">{{t_participation__rec__progress_submit}}<span class="visually-hidden"> {{M_TITLE}}</span></button></form>{{/PROGRESS_FORM}}</li>
{{/REC}}</ul>
<h3>{{t_participation__rec__new}}</h3>
<form method="post" action="{{REC_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="rec_source">{{t_participation__rec__source_label}}</label><select id="rec_source" name="source"><option value="project">{{t_participation__rec__source__project}}</option><option value="proposal">{{t_participation__rec__source__proposal}}</option><option value="workshop">{{t_participation__rec__source__workshop}}</option></select></div>
<div class="field"><label for="rec_source_ref">{{t_participation__rec__source_ref}}</label><p class="hint" id="rec_source_ref-hint">{{t_participation__rec__source_ref_hint}}</p><input type="text" id="rec_source_ref" name="source_ref" aria-describedby="rec_source_ref-hint" required></div>
<div class="field"><label for="rec_title">{{t_participation__rec__title_label}}</label><input type="text" id="rec_title" name="title" required></div>
<div class="field"><label for="rec_body">{{t_participation__rec__body_label}}</label><textarea id="rec_body" name="body" rows="3" required></textarea></div>
<button type="submit" class="button">{{t_participation__rec__create_submit}}</button></form>
<h2>{{t_participation__admin__phases}}</h2>
{{>FORM}}
