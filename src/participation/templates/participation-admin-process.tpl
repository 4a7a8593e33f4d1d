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
<h2>{{t_participation__admin__phases}}</h2>
{{>FORM}}
