{{%AUTOESCAPE context="HTML"}}<p><a href="{{LIST_HREF}}">{{t_participation__all_processes}}</a></p>
<h1>{{TITLE}}</h1>
<p class="user-text lead" dir="auto">{{SUMMARY}}</p>
<p>{{t_participation__current_phase}} <strong>{{PHASE}}</strong></p>
<p>{{THRESHOLD}}</p>
{{#REFUSED}}<div class="notice" role="alert"><p>{{REFUSAL}}</p></div>
{{/REFUSED}}<h2 id="phases-title">{{t_participation__phases_title}}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="phases-title">
<table>
<thead><tr><th scope="col">{{t_participation__phase_col}}</th><th scope="col">{{t_participation__from}}</th><th scope="col">{{t_participation__to}}</th></tr></thead>
<tbody>
{{#PHASE_ROW}}<tr><td>{{NAME}}{{#CURRENT}} <strong>{{t_participation__now}}</strong>{{/CURRENT}}</td><td>{{FROM}}</td><td>{{TO}}</td></tr>
{{/PHASE_ROW}}</tbody>
</table>
</div>
{{#HAS_VOTES}}<h2>{{t_participation__votes}}</h2>
<ul>
{{#VOTE}}<li><a href="{{HREF}}">{{TITLE}}</a>{{#VOTE_PUBLISHED}} · {{t_participation__vote__results}}{{/VOTE_PUBLISHED}}</li>
{{/VOTE}}</ul>
{{/HAS_VOTES}}{{#HAS_MEETINGS}}<h2>{{t_participation__meeting__title}}</h2>
<ul class="cards">
{{#MEETING}}<li class="card"><h3><a href="{{HREF}}" dir="auto">{{TITLE}}</a></h3>
<p>{{KIND}} · <time datetime="{{ISO}}">{{WHEN}}</time>{{#HAS_PLACE}} · <span dir="auto">{{PLACE}}</span>{{/HAS_PLACE}}{{#HAS_URL}} · {{t_participation__meeting__online}}{{/HAS_URL}}</p>
<p>{{SEATS}}{{#HAS_MINUTES}} · {{t_participation__meeting__minutes}}{{/HAS_MINUTES}}</p></li>
{{/MEETING}}</ul>
{{/HAS_MEETINGS}}{{#HAS_RECS}}<h2>{{t_participation__rec__title}}</h2>
<ul class="cards">
{{#REC}}<li class="card" id="rec-{{TOKEN}}"><h3 dir="auto">{{TITLE}}</h3>
<p>{{SOURCE}} · {{t_participation__rec__state_label}} <strong>{{STATE}}</strong> · {{t_participation__rec__followers}} {{FOLLOWERS}}</p>
<p class="user-text" dir="auto">{{BODY}}</p>
{{#RESPONSE}}<p><strong>{{RESPONSE}}</strong> ({{DATE}}){{#HAS_DEPARTMENT}} · {{t_participation__rec__department}} {{DEPARTMENT}}{{/HAS_DEPARTMENT}}</p>
<p class="user-text" dir="auto">{{REASONS}}</p>{{/RESPONSE}}
{{#MILESTONE}}<p><span dir="auto">{{M_TITLE}}</span> · {{t_participation__rec__due}} {{M_DUE}} · {{t_participation__rec__progress}} {{M_PROGRESS}}٪{{#M_DONE}} · {{t_participation__rec__done}}{{/M_DONE}}{{#M_OVERDUE}} · <strong>{{t_participation__rec__overdue}}</strong>{{/M_OVERDUE}}</p>
{{/MILESTONE}}{{#FOLLOW}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="follow" value="1"><button type="submit" class="button">{{t_participation__rec__follow}}<span class="visually-hidden"> {{TITLE}}</span></button></form>{{/FOLLOW}}{{#UNFOLLOW}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="follow" value="0"><p>{{t_participation__rec__following}}</p><button type="submit" class="button secondary">{{t_participation__rec__unfollow}}<span class="visually-hidden"> {{TITLE}}</span></button></form>{{/UNFOLLOW}}</li>
{{/REC}}</ul>
{{/HAS_RECS}}<h2>{{t_participation__proposals}}</h2>
{{#NO_PROPOSALS}}<p>{{t_participation__no_proposals}}</p>
{{/NO_PROPOSALS}}<ul class="cards">
{{#PROPOSAL}}<li class="card"><h3><a href="{{HREF}}" dir="auto">{{TITLE}}</a></h3>
<p>{{t_participation__by}} {{AUTHOR}} · {{SUPPORTS}}</p>
<p>{{#OVERDUE}}<strong>{{/OVERDUE}}{{STATE}}{{#OVERDUE}}</strong>{{/OVERDUE}}</p></li>
{{/PROPOSAL}}</ul>
{{#SIGN_IN}}<p>{{t_participation__sign_in}} <a href="{{LOGIN_HREF}}">{{t_participation__sign_in_link}}</a></p>
{{/SIGN_IN}}{{#CAN_PROPOSE}}<h2>{{t_participation__propose}}</h2>
{{>FORM}}
{{/CAN_PROPOSE}}
