{{%AUTOESCAPE context="HTML"}}<p><a href="{{PROCESS_HREF}}">{{t_participation__back}}: {{PROCESS}}</a></p>
<h1 dir="auto">{{TITLE}}</h1>
{{#HIDDEN}}<div class="notice" role="status"><p>{{HIDDEN_TEXT}}</p></div>
{{#REVIEW}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button">{{t_participation__moderation__ask_review}}</button></form>
{{/REVIEW}}{{/HIDDEN}}{{#SHOWN}}<p>{{t_participation__by}} {{AUTHOR}} · {{CREATED}}</p>
<p class="user-text" dir="auto">{{BODY}}</p>{{/SHOWN}}
<p><strong>{{SUPPORTS}}</strong></p>
<p>{{#OVERDUE}}<strong>{{/OVERDUE}}{{STATE}}{{#OVERDUE}}</strong>{{/OVERDUE}}</p>
{{#REFUSED}}<div class="notice" role="alert"><p>{{REFUSAL}}</p></div>
{{/REFUSED}}{{#ANSWERED}}<h2>{{t_participation__official_answer}}</h2>
<p class="user-text" dir="auto">{{ANSWER}}</p>
{{/ANSWERED}}{{#CAN_SUPPORT}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button">{{t_participation__support}}</button></form>
{{/CAN_SUPPORT}}{{#SUPPORTED}}<p class="notice">{{t_participation__supported}}</p>
{{/SUPPORTED}}{{#REPORT}}<details><summary>{{t_participation__moderation__report}}</summary>
<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="report-reason">{{t_participation__moderation__reason_label}}</label><select id="report-reason" name="reason">{{#REASON}}<option value="{{VALUE}}">{{LABEL}}</option>{{/REASON}}</select></div>
<button type="submit" class="button secondary">{{t_participation__moderation__report_submit}}</button></form></details>
{{/REPORT}}<h2>{{t_participation__comments}}</h2>
{{#NO_COMMENTS}}<p>{{t_participation__no_comments}}</p>
{{/NO_COMMENTS}}<ul class="history">
{{#COMMENT}}<li id="comment-{{ID}}"><p><strong>{{AUTHOR}}</strong> · {{STANCE}} · {{WHEN}}{{#REPLY_TO}} · {{t_participation__in_reply_to}} {{PARENT}}{{/REPLY_TO}}</p>
{{#C_HIDDEN}}<p><em>{{HIDDEN_TEXT}}</em></p>
{{#C_REVIEW}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="comment" value="{{ID}}"><button type="submit" class="button">{{t_participation__moderation__ask_review}}</button></form>
{{/C_REVIEW}}{{/C_HIDDEN}}{{#C_SHOWN}}<p class="user-text" dir="auto">{{BODY}}</p>{{/C_SHOWN}}
<p><a href="{{REPLY_HREF}}">{{t_participation__reply}}<span class="visually-hidden"> {{AUTHOR}}</span></a></p>
{{#C_REPORT}}<details><summary>{{t_participation__moderation__report_comment}}<span class="visually-hidden"> {{AUTHOR}}</span></summary>
<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="comment" value="{{ID}}">
<div class="field"><label for="reason-{{ID}}">{{t_participation__moderation__reason_label}}</label><select id="reason-{{ID}}" name="reason">{{#REASON}}<option value="{{VALUE}}">{{LABEL}}</option>{{/REASON}}</select></div>
<button type="submit" class="button secondary">{{t_participation__moderation__report_submit}}</button></form></details>
{{/C_REPORT}}</li>
{{/COMMENT}}</ul>
{{#SIGN_IN}}<p>{{t_participation__sign_in}} <a href="{{LOGIN_HREF}}">{{t_participation__sign_in_link}}</a></p>
{{/SIGN_IN}}{{#CAN_COMMENT}}<h2 id="comment-form">{{t_participation__add_comment}}</h2>
{{#REPLYING}}<p>{{t_participation__replying_to}} {{REPLYING_TO}}</p>
{{/REPLYING}}{{>FORM}}
{{/CAN_COMMENT}}
