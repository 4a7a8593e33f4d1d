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
<h2>{{t_participation__admin__phases}}</h2>
{{>FORM}}
